package dev.semaphore.upstream;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.Map;

/**
 * One row of an upstream table, read by column name: upstream's schema gained columns from version
 * to version, so a column an older database lacks reads as null.
 */
record SourceRow(Map<String, Object> values) {
    /** How upstream's Go drivers write times into SQLite: "2006-01-02 15:04:05.999999999-07:00" and kin. */
    private static final DateTimeFormatter TEXT_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    static SourceRow read(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> values = new HashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            values.put(meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
        }
        return new SourceRow(values);
    }

    boolean has(String column) {
        return values.containsKey(column);
    }

    String str(String column) {
        Object value = values.get(column);
        if (value instanceof byte[] bytes) {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }

    String str(String column, String fallback) {
        String value = str(column);
        return value == null ? fallback : value;
    }

    Long id(String column) {
        Object value = values.get(column);
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : Long.valueOf(text);
    }

    long longValue(String column, long fallback) {
        Long value = id(column);
        return value == null ? fallback : value;
    }

    boolean bool(String column) {
        Object value = values.get(column);
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.longValue() != 0;
        }
        return value != null && (value.toString().equals("1") || value.toString().equalsIgnoreCase("true"));
    }

    Instant time(String column) {
        Object value = values.get(column);
        return switch (value) {
            case null -> null;
            case java.sql.Timestamp t -> t.toLocalDateTime().toInstant(ZoneOffset.UTC);
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case OffsetDateTime t -> t.toInstant();
            case java.sql.Date d -> d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
            case Number n -> Instant.ofEpochMilli(n.longValue());
            default -> parse(value.toString());
        };
    }

    private static Instant parse(String text) {
        String trimmed = text.strip();
        // Go's time.String() adds the zone's name ("+0000 UTC") and a monotonic clock reading ("m=+0.1").
        int monotonic = trimmed.indexOf(" m=");
        if (monotonic > 0) {
            trimmed = trimmed.substring(0, monotonic);
        }
        if (trimmed.matches(".*[+-]\\d{4} [A-Z]{2,5}$")) {
            trimmed = trimmed.substring(0, trimmed.lastIndexOf(' '));
        }
        if (trimmed.startsWith("0001-01-01")) {
            return null; // Go's zero time: never set
        }
        var parsed = TEXT_TIME.parseBest(trimmed, OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }
}
