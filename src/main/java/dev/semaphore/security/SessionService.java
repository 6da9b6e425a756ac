package dev.semaphore.security;

import dev.semaphore.common.Times;
import dev.semaphore.common.Secrets;
import dev.semaphore.db.Database;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Server-side sessions behind the {@code semaphore} cookie. The cookie holds a random token; the
 * database holds only its SHA-256. A session dies on logout or after 7 days without a request.
 */
public final class SessionService {
    static final Duration IDLE_LIMIT = Duration.ofDays(7);
    /** last_active is rewritten at most this often, so reads do not turn into writes. */
    private static final Duration TOUCH_GRANULARITY = Duration.ofMinutes(1);

    private final Database db;
    private final UserService users;
    private final CredentialCache cache;
    private final SessionStore store = new SessionStore();

    public SessionService(Database db, UserService users, CredentialCache cache) {
        this.db = db;
        this.users = users;
        this.cache = cache;
    }

    /** How a session was (or is still to be) confirmed beyond the password; upstream's verification_method. */
    public enum Verification {
        /** Nothing more was asked: the session is verified at once. */
        NONE,
        /** A time-based one-time code is still owed. */
        TOTP,
        /** A code sent by e-mail is still owed. */
        EMAIL,
        /** The server requires a TOTP and the user has none: one is to be added, then its first code given. */
        TOTP_ENROLMENT
    }

    /** A verified session (a password was all that was asked). */
    public String create(long userId, String ip, String userAgent) {
        return create(userId, ip, userAgent, Verification.NONE);
    }

    /**
     * A session that counts as signed in only once verified, when {@code pending} is not NONE: until
     * then its cookie authenticates nothing but the verification itself.
     */
    public String create(long userId, String ip, String userAgent, Verification pending) {
        String token = Secrets.token(32);
        Instant now = Times.now();
        db.txRun(h -> store.insert(h, Secrets.sha256Hex(token), userId, now, truncate(ip, 64),
                truncate(userAgent, 512), pending.ordinal(), pending == Verification.NONE));
        return token;
    }

    /** The user of a live, verified session; empty for an unknown, ended, idle or not yet verified one. */
    public Optional<User> resolve(String token) {
        String hash = Secrets.sha256Hex(token);
        Optional<SessionStore.Row> row = db.read(h -> store.find(h, hash));
        Instant now = Times.now();
        if (row.isEmpty() || row.get().expired() || !row.get().verified()
                || row.get().lastActive().plus(IDLE_LIMIT).isBefore(now)) {
            return Optional.empty();
        }
        if (row.get().lastActive().plus(TOUCH_GRANULARITY).isBefore(now)) {
            db.txRun(h -> store.touch(h, row.get().id(), now));
        }
        return users.find(row.get().userId());
    }

    /** Whether a session is live and verified, holding its row until the caller's transaction ends. */
    public boolean holdLive(Handle h, String token) {
        return store.holdLive(h, Secrets.sha256Hex(token));
    }

    /** The user of a live session still owed {@code method}; empty otherwise. */
    public Optional<Long> pendingUser(String token, Verification method) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        String hash = Secrets.sha256Hex(token);
        return db.read(h -> store.pendingMethod(h, hash) == method.ordinal() ? store.userOf(h, hash) : Optional.empty());
    }

    /** Whether the session is owed a second factor (its requests answer why they are refused). */
    public Optional<Verification> pending(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        int method = db.read(h -> store.pendingMethod(h, Secrets.sha256Hex(token)));
        return method <= 0 || method >= Verification.values().length ? Optional.empty()
                : Optional.of(Verification.values()[method]);
    }

    /** The second factor was given: the session counts as signed in from now. */
    public void verify(String token) {
        db.txRun(h -> store.verify(h, Secrets.sha256Hex(token)));
        cache.clear();
    }

    public void expire(String token) {
        db.txRun(h -> store.expire(h, Secrets.sha256Hex(token)));
        cache.clear();
    }

    private static String truncate(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
