package dev.semaphore.security;

import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for failed logins ({@code login_attempts}). */
final class LoginAttemptStore {
    private static final String SELECT = "SELECT subject, failures, last_failure, locked_until FROM login_attempts";

    Optional<LoginThrottle.Attempts> find(Handle h, String subject) {
        return h.createQuery(SELECT + " WHERE subject = :s").bind("s", subject).map(LoginAttemptStore::map).findOne();
    }

    List<LoginThrottle.Attempts> all(Handle h) {
        return h.createQuery(SELECT + " ORDER BY last_failure DESC").map(LoginAttemptStore::map).list();
    }

    /** Writes a subject's count, inserting its row the first time. */
    void save(Handle h, String subject, int failures, Instant now, Instant lockedUntil) {
        int updated = h.createUpdate("UPDATE login_attempts SET failures = :f, last_failure = :now,"
                        + " locked_until = :locked WHERE subject = :s")
                .bind("f", failures).bind("now", now).bind("locked", lockedUntil).bind("s", subject).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO login_attempts (subject, failures, last_failure, locked_until)"
                            + " VALUES (:s, :f, :now, :locked)")
                    .bind("f", failures).bind("now", now).bind("locked", lockedUntil).bind("s", subject).execute();
        }
    }

    int delete(Handle h, String subject) {
        return h.createUpdate("DELETE FROM login_attempts WHERE subject = :s").bind("s", subject).execute();
    }

    private static LoginThrottle.Attempts map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new LoginThrottle.Attempts(rs.getString("subject"), rs.getInt("failures"),
                Rows.instant(rs, "last_failure", ctx), Rows.instant(rs, "locked_until", ctx));
    }
}
