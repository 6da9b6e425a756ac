package dev.semaphore.common;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Go-style durations as upstream's flags and fields take them: "24h", "90m", "1h30m", "30s", plus "7d". */
public final class Durations {
    private static final Duration LONGEST = Duration.ofDays(36_500);

    private Durations() {
    }

    public static Duration parse(String text, String field) {
        String t = text.trim().toLowerCase();
        try {
            Duration duration;
            if (t.matches("\\d+d")) {
                duration = Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (!t.matches("(\\d+h)?(\\d+m)?(\\d+s)?") || t.isEmpty()) {
                throw new DateTimeParseException("bad duration", t, 0);
            } else {
                duration = Duration.parse("PT" + t.toUpperCase());
            }
            if (duration.compareTo(LONGEST) > 0) {
                throw ApiException.badRequest("'" + field + "' must be at most 36500d (100 years)");
            }
            return duration;
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw ApiException.badRequest("'" + field + "' must be a duration such as 24h, 90m or 7d");
        }
    }
}
