package dev.semaphore.totp;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for users' TOTP secrets (sealed) and recovery hashes. */
final class TotpStore {
    record Row(long id, long userId, String secret, String recoveryHash, long lastStep, Instant created) {
    }

    Optional<Row> ofUser(Handle h, long userId) {
        return h.createQuery("SELECT id, user_id, secret, recovery_hash, last_step, created FROM user_totp"
                        + " WHERE user_id = :u").bind("u", userId)
                .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("user_id"), rs.getString("secret"),
                        rs.getString("recovery_hash"), rs.getLong("last_step"), Rows.instant(rs, "created", ctx)))
                .findOne();
    }

    java.util.Set<Long> userIds(Handle h) {
        return java.util.Set.copyOf(h.createQuery("SELECT user_id FROM user_totp").mapTo(Long.class).list());
    }

    long insert(Handle h, long userId, String sealedSecret, String recoveryHash, Instant now) {
        return h.createUpdate("INSERT INTO user_totp (user_id, secret, recovery_hash, last_step, created)"
                        + " VALUES (:u, :s, :r, 0, :now)")
                .bind("u", userId).bind("s", sealedSecret).bind("r", recoveryHash).bind("now", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Takes a time step for a code: true only once per step and only forward, whatever processes race. */
    boolean useStep(Handle h, long id, long step) {
        return h.createUpdate("UPDATE user_totp SET last_step = :step WHERE id = :id AND last_step < :step")
                .bind("id", id).bind("step", step).execute() == 1;
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM user_totp WHERE id = :id").bind("id", id).execute();
    }
}
