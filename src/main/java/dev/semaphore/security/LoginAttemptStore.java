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

    /** A subject's failures after one more, or the lock that refused counting it. */
    record Counted(int failures, Instant lockedUntil) {
    }

    /**
     * Counts one more failure of a subject unless it is locked, in the caller's transaction: the update
     * holds the row until the transaction ends, so parallel guesses count one after another. Failures
     * last counted before {@code forgetBefore} start again from one.
     */
    Counted count(Handle h, String subject, Instant now, Instant forgetBefore) {
        for (int look = 0; ; look++) {
            int updated = h.createUpdate("UPDATE login_attempts SET failures = CASE WHEN last_failure < :forget"
                            + " THEN 1 ELSE failures + 1 END, last_failure = :now WHERE subject = :s"
                            + " AND (locked_until IS NULL OR locked_until <= :now)")
                    .bind("forget", forgetBefore).bind("now", now).bind("s", subject).execute();
            if (updated > 0) {
                return new Counted(find(h, subject).orElseThrow().failures(), null);
            }
            Optional<LoginThrottle.Attempts> row = find(h, subject);
            if (row.isEmpty()) {
                h.createUpdate("INSERT INTO login_attempts (subject, failures, last_failure, locked_until)"
                        + " VALUES (:s, 1, :now, NULL)").bind("now", now).bind("s", subject).execute();
                return new Counted(1, null);
            }
            Instant locked = row.get().lockedUntil();
            if (locked != null && locked.isAfter(now)) {
                return new Counted(row.get().failures(), locked);
            }
            if (look >= 3) {
                throw new IllegalStateException("the failures of " + subject + " could not be counted; again");
            }
            // Another guess's row appeared after the update looked (each statement sees what was committed
            // when it began): count on it now, never let this guess through uncounted.
        }
    }

    void lock(Handle h, String subject, Instant until) {
        h.createUpdate("UPDATE login_attempts SET locked_until = :until WHERE subject = :s")
                .bind("until", until).bind("s", subject).execute();
    }

    /** Takes back one counted failure (a guess that turned out right). */
    void uncount(Handle h, String subject) {
        h.createUpdate("UPDATE login_attempts SET failures = failures - 1 WHERE subject = :s AND failures > 0")
                .bind("s", subject).execute();
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
