package dev.semaphore.security;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.db.Rows;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Slows password guessing, per login and per client address, in the database so that every server
 * process sharing it counts the same failures. After {@code maxFailures} failures in a row a login
 * is locked for {@code lockout}, twice as long for each further failure (at most 15 minutes); an
 * address gets the same after {@code addressMaxFailures}. The subject is the login as typed, not a
 * user, so an unknown login is throttled exactly like a real one and tells nothing. A success
 * clears the login's count; failures older than an hour are forgotten.
 */
public final class LoginThrottle {
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    private static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** One throttled subject as admins see it. */
    public record Attempts(String subject, int failures, Instant lastFailure, Instant lockedUntil) {
    }

    private final Database db;
    private final EventLog events;
    private final int maxFailures;
    private final int addressMaxFailures;
    private final Duration lockout;

    public LoginThrottle(Database db, EventLog events, int maxFailures, int addressMaxFailures, Duration lockout) {
        this.db = db;
        this.events = events;
        this.maxFailures = maxFailures;
        this.addressMaxFailures = addressMaxFailures;
        this.lockout = lockout;
    }

    static String loginSubject(String login) {
        return "login:" + java.text.Normalizer.normalize(login.trim(), java.text.Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
    }

    static String addressSubject(String address) {
        return "address:" + address;
    }

    /** Refuses (429, with Retry-After seconds) while the login or the address is locked. */
    void check(String login, String address) {
        if (maxFailures <= 0) {
            return;
        }
        Instant now = Times.now();
        for (String subject : List.of(loginSubject(login), addressSubject(address))) {
            Optional<Attempts> row = db.read(h -> find(h, subject));
            if (row.isPresent() && row.get().lockedUntil() != null && row.get().lockedUntil().isAfter(now)) {
                long seconds = Math.max(1, Duration.between(now, row.get().lockedUntil()).toSeconds() + 1);
                throw new LockedOut(seconds);
            }
        }
    }

    void failed(String login, String address) {
        if (maxFailures <= 0) {
            return;
        }
        for (String subject : List.of(loginSubject(login), addressSubject(address))) {
            int limit = subject.startsWith("login:") ? maxFailures : addressMaxFailures;
            try {
                count(subject, limit, address);
            } catch (RuntimeException firstInsertRace) {
                count(subject, limit, address); // another process inserted the row first: now it updates
            }
        }
    }

    void succeeded(String login) {
        db.txRun(h -> h.createUpdate("DELETE FROM login_attempts WHERE subject = :s")
                .bind("s", loginSubject(login)).execute());
    }

    private void count(String subject, int limit, String address) {
        db.txRun(h -> {
            Instant now = Times.now();
            Optional<Attempts> row = find(h, subject);
            int failures = row.filter(r -> r.lastFailure().plus(FORGET_AFTER).isAfter(now))
                    .map(r -> r.failures() + 1).orElse(1);
            Instant locked = null;
            if (failures >= limit) {
                long factor = 1L << Math.min(20, failures - limit);
                Duration length = lockout.multipliedBy(factor);
                locked = now.plus(length.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : length);
                events.record(h, null, null, ObjectType.USER, null, subject, "Logins for " + subject
                        + " locked until " + locked + " after " + failures + " failed attempts (last from "
                        + address + ")");
            }
            int updated = h.createUpdate("UPDATE login_attempts SET failures = :f, last_failure = :now,"
                            + " locked_until = :locked WHERE subject = :s")
                    .bind("f", failures).bind("now", now).bind("locked", locked).bind("s", subject).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO login_attempts (subject, failures, last_failure, locked_until)"
                                + " VALUES (:s, :f, :now, :locked)")
                        .bind("f", failures).bind("now", now).bind("locked", locked).bind("s", subject).execute();
            }
        });
    }

    /** Subjects with failures, locked ones first. */
    public List<Attempts> list() {
        return db.read(h -> h.createQuery("SELECT subject, failures, last_failure, locked_until FROM login_attempts"
                        + " ORDER BY last_failure DESC")
                .map((rs, ctx) -> new Attempts(rs.getString("subject"), rs.getInt("failures"),
                        Rows.instant(rs, "last_failure", ctx), Rows.instant(rs, "locked_until", ctx)))
                .list());
    }

    /** An admin lifts a lock (and forgets the failures) of one subject. */
    public void clear(long actorId, String subject) {
        db.txRun(h -> {
            if (h.createUpdate("DELETE FROM login_attempts WHERE subject = :s").bind("s", subject).execute() == 0) {
                throw ApiException.notFound("no failed logins recorded for " + subject);
            }
            events.record(h, actorId, null, ObjectType.USER, null, subject, "Failed logins of " + subject + " cleared");
        });
    }

    private static Optional<Attempts> find(Handle h, String subject) {
        return h.createQuery("SELECT subject, failures, last_failure, locked_until FROM login_attempts"
                        + " WHERE subject = :s")
                .bind("s", subject)
                .map((rs, ctx) -> new Attempts(rs.getString("subject"), rs.getInt("failures"),
                        Rows.instant(rs, "last_failure", ctx), Rows.instant(rs, "locked_until", ctx)))
                .findOne();
    }

    /** 429 Too Many Requests, telling when to try again. */
    static final class LockedOut extends ApiException {
        private final long retryAfterSeconds;

        LockedOut(long retryAfterSeconds) {
            super(429, "too many failed logins; try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
