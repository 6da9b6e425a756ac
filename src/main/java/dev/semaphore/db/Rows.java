package dev.semaphore.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.statement.StatementContext;

/** Small helpers for hand-written row mappers. */
public final class Rows {
    private Rows() {
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** Reads a time column as {@link InstantCodec} wrote it; cheap enough for every row of a big list. */
    public static Instant instant(ResultSet rs, String column, StatementContext ctx) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof String text) {
            return InstantCodec.parseSqlite(text);
        }
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
}
