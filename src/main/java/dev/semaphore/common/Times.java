package dev.semaphore.common;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The current time at the precision we store (milliseconds), so a value reads back as it was written. */
public final class Times {
    private Times() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
