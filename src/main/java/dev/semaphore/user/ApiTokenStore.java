package dev.semaphore.user;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for API tokens; a token is stored as its SHA-256 and its first characters (the id listings show). */
final class ApiTokenStore {
    /** A stored token as its owner and the authenticator see it. */
    record Row(String prefix, Instant created, boolean expired, long userId, String name, Instant expiresAt) {
        boolean liveAt(Instant now) {
            return !expired && (expiresAt == null || expiresAt.isAfter(now));
        }
    }

    void insert(Handle h, String hash, String prefix, long userId, String name, Instant created, Instant expiresAt) {
        h.createUpdate("""
                        INSERT INTO api_tokens (token_hash, prefix, user_id, name, created, expires_at, expired)
                        VALUES (:hash, :prefix, :user, :name, :created, :expires, :expired)""")
                .bind("hash", hash).bind("prefix", prefix).bind("user", userId).bind("name", name)
                .bind("created", created).bind("expires", expiresAt).bind("expired", false)
                .execute();
    }

    List<Row> ofUser(Handle h, long userId) {
        return h.createQuery("SELECT prefix, created, expired, user_id, name, expires_at FROM api_tokens"
                        + " WHERE user_id = :user ORDER BY created")
                .bind("user", userId).map(ApiTokenStore::map).list();
    }

    Optional<Row> byHash(Handle h, String hash) {
        return h.createQuery("SELECT prefix, created, expired, user_id, name, expires_at FROM api_tokens"
                        + " WHERE token_hash = :hash")
                .bind("hash", hash).map(ApiTokenStore::map).findOne();
    }

    List<String> hashesWithPrefix(Handle h, long userId, String prefix) {
        return h.createQuery("SELECT token_hash FROM api_tokens WHERE user_id = :user AND prefix = :prefix")
                .bind("user", userId).bind("prefix", prefix).mapTo(String.class).list();
    }

    void delete(Handle h, String hash) {
        h.createUpdate("DELETE FROM api_tokens WHERE token_hash = :hash").bind("hash", hash).execute();
    }

    /** A write that changes nothing, to take the token's row lock; true while the token is live. */
    boolean holdLive(Handle h, String hash, java.time.Instant now) {
        return h.createUpdate("UPDATE api_tokens SET name = name WHERE token_hash = :hash AND expired = :live"
                        + " AND (expires_at IS NULL OR expires_at > :now)")
                .bind("hash", hash).bind("live", false).bind("now", now).execute() == 1;
    }

    private static Row map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Row(rs.getString("prefix"), Rows.instant(rs, "created", ctx), rs.getBoolean("expired"),
                rs.getLong("user_id"), rs.getString("name"), Rows.instant(rs, "expires_at", ctx));
    }
}
