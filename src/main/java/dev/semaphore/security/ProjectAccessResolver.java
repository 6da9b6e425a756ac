package dev.semaphore.security;

import dev.semaphore.user.User;
import java.util.Optional;

/** Finds a user's access to a project; empty when the project does not exist for them. */
@FunctionalInterface
public interface ProjectAccessResolver {
    Optional<ProjectAccess> resolve(long projectId, User user);
}
