package dev.semaphore.security;

import java.util.Optional;

/**
 * What the caller may do in one project: their role there (empty for an admin who is not a
 * member) and the permission mask in force (admins hold every permission).
 */
public record ProjectAccess(long projectId, Optional<ProjectRole> role, int permissions, boolean admin) {

    public boolean can(Permission permission) {
        return permission.in(permissions);
    }

    /** Owners and admins manage the whole team; managers everyone but owners. */
    public boolean canManageTeam() {
        return admin || can(Permission.MANAGE_USERS) || role.orElse(null) == ProjectRole.MANAGER;
    }

    public boolean canManageOwners() {
        return admin || can(Permission.MANAGE_USERS);
    }
}
