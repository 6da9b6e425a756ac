package dev.semaphore.project;

/** A member as {@code /project/{id}/users} lists it: the user's id and names, and the role. */
public record ProjectMember(long id, String name, String username, String email, String role) {
}
