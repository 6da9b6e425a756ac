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

    /** The column names of a result, read once for all its rows. */
    static String[] columns(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        String[] names = new String[meta.getColumnCount()];
        for (int i = 0; i < names.length; i++) {
            names[i] = meta.getColumnLabel(i + 1).toLowerCase(java.util.Locale.ROOT);
        }
        return names;
    }

    static SourceRow read(ResultSet rs, String[] columns) throws SQLException {
        Map<String, Object> values = HashMap.newHashMap(columns.length);
        for (int i = 0; i < columns.length; i++) {
            values.put(columns[i], rs.getObject(i + 1));
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
        Instant quick = quickParse(text);
        if (quick != null) {
            return quick;
        }
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

    /**
     * "yyyy-MM-dd HH:mm:ss", an optional fraction, an optional "+HH:MM"/"Z": the forms millions of
     * output lines carry, read by position (the general parser is several times slower); null for others.
     */
    private static Instant quickParse(String text) {
        int n = text.length();
        if (n < 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || (text.charAt(10) != ' ' && text.charAt(10) != 'T')
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && text.charAt(i) == '.') {
            int digits = 0;
            i++;
            while (i < n && Character.isDigit(text.charAt(i))) {
                if (digits < 9) {
                    nanos = nanos * 10 + (text.charAt(i) - '0');
                    digits++;
                }
                i++;
            }
            for (; digits < 9; digits++) {
                nanos *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char sign = text.charAt(i);
            if (sign == 'Z' && i == n - 1) {
                offsetSeconds = 0;
            } else if ((sign == '+' || sign == '-') && n - i == 6 && text.charAt(i + 3) == ':') {
                int hours = number(text, i + 1, i + 3);
                int minutes = number(text, i + 4, i + 6);
                if (hours < 0 || minutes < 0) {
                    return null;
                }
                offsetSeconds = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
            } else {
                return null;
            }
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        if (year == 1 && month == 1 && day == 1) {
            return null; // Go's zero time: never set
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
