package dev.semaphore.user;

import java.time.Instant;

/**
 * An API token as listed: {@code id} is the token itself only in the response that creates it;
 * listings show its first 8 characters, which also identify it for deletion.
 */
public record ApiToken(String id, Instant created, boolean expired, long userId, String name, Instant expiresAt) {
}
