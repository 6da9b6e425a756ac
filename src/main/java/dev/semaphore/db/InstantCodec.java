package dev.semaphore.db;

import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.mapper.ColumnMapper;

/**
 * Stores every {@link Instant} as a UTC wall-clock time, whatever the JVM or database time zone:
 * {@code TIMESTAMP}/{@code DATETIME} columns on PostgreSQL and MySQL, ISO text on SQLite
 * (which SQLite's own date functions understand). Millisecond precision everywhere.
 */
final class InstantCodec {
    private static final DateTimeFormatter SQLITE_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private InstantCodec() {
    }

    static void register(Jdbi jdbi, Dialect dialect) {
        boolean text = dialect == Dialect.SQLITE;
        jdbi.registerArgument(new AbstractArgumentFactory<Instant>(text ? Types.VARCHAR : Types.TIMESTAMP) {
            @Override
            protected Argument build(Instant value, ConfigRegistry config) {
                LocalDateTime utc = LocalDateTime.ofInstant(value.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
                return text
                        ? (position, statement, ctx) -> statement.setString(position, SQLITE_FORMAT.format(utc))
                        : (position, statement, ctx) -> statement.setObject(position, utc);
            }
        });
        jdbi.registerColumnMapper(Instant.class, text ? sqliteMapper() : timestampMapper());
    }

    private static ColumnMapper<Instant> sqliteMapper() {
        return (rs, column, ctx) -> {
            String value = rs.getString(column);
            return value == null ? null : LocalDateTime.parse(value, SQLITE_FORMAT).toInstant(ZoneOffset.UTC);
        };
    }

    private static ColumnMapper<Instant> timestampMapper() {
        return (rs, column, ctx) -> {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        };
    }
}
