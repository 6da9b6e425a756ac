package dev.semaphore.mfa;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for user_email_otp: one code per sign-in under way, keyed by the SHA-256 of its cookie token. */
final class EmailOtpStore {
    record Row(long id, Long userId, String email, String codeHash, int attempts, int sends, Instant sent) {
    }

    Optional<Row> find(Handle h, String tokenHash) {
        return h.createQuery("SELECT id, user_id, email, code_hash, attempts, sends, sent FROM user_email_otp"
                        + " WHERE token_hash = :t")
                .bind("t", tokenHash)
                .map((rs, ctx) -> new Row(rs.getLong("id"),
                        rs.getObject("user_id") instanceof Number n ? n.longValue() : null, rs.getString("email"),
                        rs.getString("code_hash"), rs.getInt("attempts"), rs.getInt("sends"),
                        Rows.instant(rs, "sent", ctx)))
                .findOne();
    }

    void insert(Handle h, String tokenHash, Long userId, String email, String codeHash, Instant now) {
        h.createUpdate("INSERT INTO user_email_otp (token_hash, user_id, email, code_hash, attempts, sends, sent, created)"
                        + " VALUES (:t, :u, :e, :c, 0, 1, :now, :now)")
                .bind("t", tokenHash).bind("u", userId).bind("e", email).bind("c", codeHash).bind("now", now)
                .execute();
    }

    void resent(Handle h, long id, String codeHash, Instant now) {
        h.createUpdate("UPDATE user_email_otp SET code_hash = :c, attempts = 0, sends = sends + 1, sent = :now"
                        + " WHERE id = :id")
                .bind("id", id).bind("c", codeHash).bind("now", now).execute();
    }

    /** Counts one try at the code unless all {@code max} are used: false when none is left. */
    boolean takeAttempt(Handle h, long id, int max) {
        return h.createUpdate("UPDATE user_email_otp SET attempts = attempts + 1 WHERE id = :id AND attempts < :max")
                .bind("id", id).bind("max", max).execute() == 1;
    }

    /** Takes the code: true for exactly one caller, however many processes race with the right code. */
    boolean take(Handle h, long id) {
        return h.createUpdate("DELETE FROM user_email_otp WHERE id = :id").bind("id", id).execute() == 1;
    }

    void deleteOlderThan(Handle h, Instant cutoff) {
        h.createUpdate("DELETE FROM user_email_otp WHERE created < :c").bind("c", cutoff).execute();
    }
}
