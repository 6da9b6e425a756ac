package dev.semaphore.security;

import dev.semaphore.user.User;

/** Who is calling: the user, and whether they came with the session cookie (which CSRF checks care about). */
public record Principal(User user, boolean viaCookie) {
}
