package dev.semaphore.integration;

import java.time.Instant;

/**
 * One delivery as one integration saw it: when, through which alias, what came of it (a task, a
 * failed check, a matcher that did not match) and the start of the body with secrets removed.
 */
public record Delivery(long id, Long integrationId, String alias, Instant received, String method, String outcome,
                       Long taskId, String body) {
}
