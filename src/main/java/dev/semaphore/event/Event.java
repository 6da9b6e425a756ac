package dev.semaphore.event;

import java.time.Instant;

/** An activity-log entry, in upstream's JSON shape. */
public record Event(
        long id,
        Long userId,
        Long projectId,
        Long integrationId,
        Long objectId,
        String objectType,
        String description,
        Instant created,
        String objectName,
        String projectName,
        String username) {
}
