package dev.semaphore.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule is due, as upstream reads its {@code cron_format}: five Unix fields (minute, hour,
 * day of month, month, day of week), a descriptor ({@code @daily}, {@code @hourly}, ...), or
 * {@code @every 1h30m}. Cron times are wall-clock times of a zone: a time the clocks skip (02:30 on
 * the spring-forward day) runs once at the shifted instant, a time they pass twice runs once, at
 * the first.
 */
final class CronTiming {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final Pattern EVERY = Pattern.compile("@every\\s+((?:\\d+h)?(?:\\d+m)?(?:\\d+s)?)");
    private static final Pattern EVERY_PART = Pattern.compile("(\\d+)([hms])");

    private final String text;
    private final Cron cron;
    private final ExecutionTime execution;
    private final Duration every;

    private CronTiming(String text, Cron cron, Duration every) {
        this.text = text;
        this.cron = cron;
        this.execution = cron == null ? null : ExecutionTime.forCron(cron);
        this.every = every;
    }

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    static CronTiming parse(String format) {
        String text = format == null ? "" : format.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the expression is empty");
        }
        if (text.startsWith("@every")) {
            Matcher m = EVERY.matcher(text);
            if (!m.matches() || m.group(1).isEmpty()) {
                throw new IllegalArgumentException("@every takes a duration such as 90s, 10m or 1h30m");
            }
            Duration every = Duration.ZERO;
            Matcher part = EVERY_PART.matcher(m.group(1));
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                every = every.plus(switch (part.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            if (every.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("@every needs at least 1s");
            }
            return new CronTiming(text, null, every);
        }
        String fields = text.startsWith("@") ? DESCRIPTORS.get(text) : text;
        if (fields == null) {
            throw new IllegalArgumentException("unknown descriptor " + text + "; use one of "
                    + String.join(", ", new java.util.TreeSet<>(DESCRIPTORS.keySet())) + " or @every <duration>");
        }
        if (fields.split("\\s+").length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), got "
                    + fields.split("\\s+").length);
        }
        CronTiming timing;
        try {
            timing = new CronTiming(text, UNIX.parse(fields).validate(), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        // A day that no month has (30 February, 31 April) parses, and is never due.
        boolean due;
        try {
            due = timing.execution.nextExecution(ZonedDateTime.now(ZoneOffset.UTC)).isPresent();
        } catch (RuntimeException noDate) {
            due = false;
        }
        if (!due) {
            throw new IllegalArgumentException("the expression " + text + " is never due (no month has that day)");
        }
        return timing;
    }

    /** The first due time strictly after {@code after}. */
    Instant next(Instant after, ZoneId zone) {
        if (every != null) {
            return after.truncatedTo(ChronoUnit.SECONDS).plus(every);
        }
        LocalDateTime local = after.atZone(zone).toLocalDateTime();
        // Bounded: in a repeated hour each wall time maps to its first (past) instant, so a few steps may be needed.
        for (int step = 0; step < 10_000; step++) {
            LocalDateTime next = execution.nextExecution(local.atZone(ZoneOffset.UTC))
                    .orElseThrow(() -> new IllegalStateException("the expression " + text + " is never due"))
                    .toLocalDateTime();
            Instant at = ZonedDateTime.ofLocal(next, zone, null).toInstant();
            if (at.isAfter(after)) {
                return at;
            }
            local = next;
        }
        throw new IllegalStateException("no due time found for " + text);
    }

    /** The expression in words, for people reading a list of schedules. */
    String describe() {
        if (every != null) {
            return "every " + every.toString().substring(2).toLowerCase(Locale.ROOT);
        }
        return CronDescriptor.instance(Locale.UK).describe(cron);
    }

    @Override
    public String toString() {
        return text;
    }
}
