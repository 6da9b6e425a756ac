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

    /**
     * Who adds, changes and removes members and sends invitations: admins and whoever holds the manage-users bit
     * (owners), as upstream's role bits say; a manager runs tasks and manages resources, not people.
     */
    public boolean canManageTeam() {
        return admin || can(Permission.MANAGE_USERS);
    }
}
