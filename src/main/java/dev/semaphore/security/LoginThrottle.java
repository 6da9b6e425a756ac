package dev.semaphore.security;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    private final LoginAttemptStore store = new LoginAttemptStore();
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
    public void check(String login, String address) {
        if (maxFailures <= 0) {
            return;
        }
        Instant now = Times.now();
        for (String subject : List.of(loginSubject(login), addressSubject(address))) {
            Optional<Attempts> row = db.read(h -> store.find(h, subject));
            if (row.isPresent() && row.get().lockedUntil() != null && row.get().lockedUntil().isAfter(now)) {
                long seconds = Math.max(1, Duration.between(now, row.get().lockedUntil()).toSeconds() + 1);
                throw new LockedOut(seconds);
            }
        }
    }

    public void failed(String login, String address) {
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

    public void succeeded(String login) {
        db.txRun(h -> store.delete(h, loginSubject(login)));
    }

    private void count(String subject, int limit, String address) {
        db.txRun(h -> {
            Instant now = Times.now();
            Optional<Attempts> row = store.find(h, subject);
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
            store.save(h, subject, failures, now, locked);
        });
    }

    /** Subjects with failures, the latest failure first. */
    public List<Attempts> list() {
        return db.read(store::all);
    }

    /** An admin lifts a lock (and forgets the failures) of one subject. */
    public void clear(long actorId, String subject) {
        db.txRun(h -> {
            if (store.delete(h, subject) == 0) {
                throw ApiException.notFound("no failed logins recorded for " + subject);
            }
            events.record(h, actorId, null, ObjectType.USER, null, subject, "Failed logins of " + subject + " cleared");
        });
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
