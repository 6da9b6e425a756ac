package dev.semaphore.security;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for sessions; a session is found by the SHA-256 of its cookie token. */
final class SessionStore {
    /** A stored session. */
    record Row(long id, long userId, Instant lastActive, boolean expired, boolean verified) {
    }

    void insert(Handle h, String tokenHash, long userId, Instant now, String ip, String userAgent,
                int verificationMethod, boolean verified) {
        h.createUpdate("""
                        INSERT INTO sessions (token_hash, user_id, created, last_active, ip, user_agent, expired,
                                              verification_method, verified)
                        VALUES (:hash, :user, :now, :now, :ip, :ua, :expired, :method, :verified)""")
                .bind("hash", tokenHash).bind("user", userId).bind("now", now).bind("ip", ip).bind("ua", userAgent)
                .bind("expired", false).bind("method", verificationMethod).bind("verified", verified)
                .execute();
    }

    Optional<Row> find(Handle h, String tokenHash) {
        return h.createQuery("SELECT id, user_id, last_active, expired, verified FROM sessions WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("user_id"),
                        Rows.instant(rs, "last_active", ctx), rs.getBoolean("expired"), rs.getBoolean("verified")))
                .findOne();
    }

    void touch(Handle h, long id, Instant now) {
        h.createUpdate("UPDATE sessions SET last_active = :now WHERE id = :id").bind("now", now).bind("id", id)
                .execute();
    }

    /** A write that changes nothing, to take the session's row lock; true while it is live and verified. */
    boolean holdLive(Handle h, String tokenHash) {
        return h.createUpdate("UPDATE sessions SET expired = expired WHERE token_hash = :hash AND expired = :live"
                        + " AND verified = :verified")
                .bind("hash", tokenHash).bind("live", false).bind("verified", true).execute() == 1;
    }

    void expire(Handle h, String tokenHash) {
        h.createUpdate("UPDATE sessions SET expired = :expired WHERE token_hash = :hash")
                .bind("expired", true).bind("hash", tokenHash).execute();
    }

    /** The session's pending verification method (upstream's numbers), or -1 when verified, ended or unknown. */
    int pendingMethod(Handle h, String hash) {
        return h.createQuery("SELECT verification_method FROM sessions WHERE token_hash = :hash AND expired = :no"
                        + " AND verified = :no").bind("hash", hash).bind("no", false).mapTo(Integer.class)
                .findOne().orElse(-1);
    }

    boolean verify(Handle h, String hash) {
        return h.createUpdate("UPDATE sessions SET verified = :yes WHERE token_hash = :hash AND expired = :no"
                        + " AND verified = :no").bind("hash", hash).bind("yes", true).bind("no", false).execute() == 1;
    }

    java.util.Optional<Long> userOf(Handle h, String hash) {
        return h.createQuery("SELECT user_id FROM sessions WHERE token_hash = :hash").bind("hash", hash)
                .mapTo(Long.class).findOne();
    }
}
