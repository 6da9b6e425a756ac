package dev.semaphore.user;

import java.time.Instant;

/** A user as the API shows it; the password hash never leaves {@link UserStore}. */
public record User(long id, Instant created, String username, String name, String email, boolean alert,
                   boolean admin, boolean external, boolean pro) {
}
