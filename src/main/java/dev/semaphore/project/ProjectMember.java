package dev.semaphore.project;

/**
 * A member as {@code /project/{id}/users} lists it, with upstream's fields: the user's id and names, and the role
 * (not the e-mail address: other members' addresses are not theirs to see).
 */
public record ProjectMember(long id, String name, String username, String role) {
}
