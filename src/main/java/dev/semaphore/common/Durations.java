package dev.semaphore.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Go-style durations as upstream's flags and fields take them: "24h", "90m", "1h30m", "30s", plus "7d". */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text, String field) {
        String t = text.trim().toLowerCase();
        try {
            if (t.matches("\\d+d")) {
                return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            if (!t.matches("(\\d+h)?(\\d+m)?(\\d+s)?") || t.isEmpty()) {
                throw new DateTimeParseException("bad duration", t, 0);
            }
            return Duration.parse("PT" + t.toUpperCase());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.badRequest("'" + field + "' must be a duration such as 24h, 90m or 7d");
        }
    }
}
