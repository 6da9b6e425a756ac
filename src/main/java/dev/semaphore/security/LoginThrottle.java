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
import java.util.function.Function;

/**
 * Slows password guessing, per account and per client address, in the database so that every server
 * process sharing it counts the same failures. After {@code maxFailures} failures in a row an account
 * is locked for {@code lockout}, twice as long for each further failure (at most 15 minutes); an
 * address gets the same after {@code addressMaxFailures}. A login that belongs to no account is
 * counted as typed, so an unknown login is throttled exactly like a real one and tells nothing. A
 * success clears the account's count; failures older than an hour are forgotten.
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
    private final Function<String, Optional<String>> accountOf;

    /**
     * @param accountOf the login name of the account a typed login or e-mail address belongs to, so that
     *        guesses by login and by e-mail count as one
     */
    public LoginThrottle(Database db, EventLog events, int maxFailures, int addressMaxFailures, Duration lockout,
                         Function<String, Optional<String>> accountOf) {
        this.db = db;
        this.events = events;
        this.maxFailures = maxFailures;
        this.addressMaxFailures = addressMaxFailures;
        this.lockout = lockout;
        this.accountOf = accountOf;
    }

    static String loginSubject(String login) {
        return "login:" + java.text.Normalizer.normalize(login.trim(), java.text.Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT);
    }

    static String addressSubject(String address) {
        return "address:" + address;
    }

    /**
     * One guess at a password, counted before it is checked: refused (429, with Retry-After seconds)
     * while the account or the address is locked. The subject is the account the login or e-mail
     * address resolves to, or the login as typed when there is none (so an unknown login is throttled
     * exactly like a real one).
     */
    public Guess login(String login, String address) {
        return guess(accountOf.apply(login.trim()).orElse(login), address);
    }

    /**
     * One guess at another secret ({@code totp:<user id>}, {@code email:<address>}...), counted before
     * it is checked. Counting first, in one transaction that holds the subject's row, is what keeps
     * parallel guesses to the limit: each one either takes a place under it or finds the lock.
     */
    public Guess guess(String name, String address) {
        String subject = loginSubject(name);
        if (maxFailures <= 0) {
            return new Guess(subject, null);
        }
        String addressSubject = addressSubject(address);
        for (int attempt = 0; ; attempt++) {
            try {
                db.txRun(h -> {
                    count(h, subject, maxFailures, address);
                    count(h, addressSubject, addressMaxFailures, address);
                });
                return new Guess(subject, addressSubject);
            } catch (LockedOut locked) {
                throw locked;
            } catch (RuntimeException firstInsertRace) {
                if (attempt >= 3) {
                    throw firstInsertRace;
                }
                // another process inserted the subject's row first: now it updates
            }
        }
    }

    /** A guess under way: a right one forgets the subject's failures; a wrong one was counted already. */
    public final class Guess {
        private final String subject;
        private final String addressSubject;

        private Guess(String subject, String addressSubject) {
            this.subject = subject;
            this.addressSubject = addressSubject;
        }

        public void succeeded() {
            db.txRun(h -> {
                store.delete(h, subject);
                if (addressSubject != null) {
                    store.uncount(h, addressSubject);
                }
            });
        }
    }

    private void count(org.jdbi.v3.core.Handle h, String subject, int limit, String address) {
        Instant now = Times.now();
        LoginAttemptStore.Counted counted = store.count(h, subject, now, now.minus(FORGET_AFTER));
        if (counted.lockedUntil() != null) {
            long seconds = Math.max(1, Duration.between(now, counted.lockedUntil()).toSeconds() + 1);
            throw new LockedOut(seconds);
        }
        int failures = counted.failures();
        if (failures >= limit) {
            long factor = 1L << Math.min(20, failures - limit);
            Duration length = lockout.multipliedBy(factor);
            Instant locked = now.plus(length.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : length);
            store.lock(h, subject, locked);
            events.record(h, null, null, ObjectType.USER, null, subject, "Logins for " + subject
                    + " locked until " + locked + " after " + failures + " failed attempts (last from "
                    + address + ")");
        }
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
