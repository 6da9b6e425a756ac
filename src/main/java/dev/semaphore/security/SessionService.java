package dev.semaphore.security;

import dev.semaphore.common.Times;
import dev.semaphore.common.Secrets;
import dev.semaphore.db.Database;
import dev.semaphore.db.Rows;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
        EMAIL
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
        db.txRun(h -> h.createUpdate("""
                        INSERT INTO sessions (token_hash, user_id, created, last_active, ip, user_agent, expired,
                                              verification_method, verified)
                        VALUES (:hash, :user, :now, :now, :ip, :ua, :expired, :method, :verified)""")
                .bind("hash", Secrets.sha256Hex(token))
                .bind("user", userId)
                .bind("now", now)
                .bind("ip", truncate(ip, 64))
                .bind("ua", truncate(userAgent, 512))
                .bind("expired", false)
                .bind("method", pending.ordinal())
                .bind("verified", pending == Verification.NONE)
                .execute());
        return token;
    }

    private record Row(long id, long userId, Instant lastActive, boolean expired, boolean verified) {
    }

    /** The user of a live, verified session; empty for an unknown, ended, idle or not yet verified one. */
    public Optional<User> resolve(String token) {
        String hash = Secrets.sha256Hex(token);
        Optional<Row> row = db.read(h -> h.createQuery("SELECT id, user_id, last_active, expired, verified"
                        + " FROM sessions WHERE token_hash = :hash")
                .bind("hash", hash)
                .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getLong("user_id"),
                        Rows.instant(rs, "last_active", ctx), rs.getBoolean("expired"), rs.getBoolean("verified")))
                .findOne());
        Instant now = Times.now();
        if (row.isEmpty() || row.get().expired() || !row.get().verified()
                || row.get().lastActive().plus(IDLE_LIMIT).isBefore(now)) {
            return Optional.empty();
        }
        if (row.get().lastActive().plus(TOUCH_GRANULARITY).isBefore(now)) {
            db.txRun(h -> h.createUpdate("UPDATE sessions SET last_active = :now WHERE id = :id")
                    .bind("now", now).bind("id", row.get().id()).execute());
        }
        return users.find(row.get().userId());
    }

    public void expire(String token) {
        db.txRun(h -> h.createUpdate("UPDATE sessions SET expired = :expired WHERE token_hash = :hash")
                .bind("expired", true).bind("hash", Secrets.sha256Hex(token)).execute());
        cache.clear();
    }

    private static String truncate(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
