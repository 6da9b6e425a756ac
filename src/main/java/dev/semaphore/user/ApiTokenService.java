package dev.semaphore.user;

import dev.semaphore.common.Times;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.db.Database;
import dev.semaphore.db.Rows;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens for {@code Authorization: Bearer}. Only a SHA-256 digest of each token is stored. */
public final class ApiTokenService {
    private static final int PREFIX = 8;

    private final Database db;
    private final EventLog events;
    private final Runnable credentialsChanged;
    private final UserStore users = new UserStore();

    public ApiTokenService(Database db, EventLog events, Runnable credentialsChanged) {
        this.db = db;
        this.events = events;
        this.credentialsChanged = credentialsChanged;
    }

    /** Creates a token; the returned record carries the whole token, shown this once. */
    public ApiToken create(long userId, String name, Duration ttl) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw ApiException.badRequest("field 'ttl' must be positive");
        }
        String token = Secrets.token(32);
        Instant created = Times.now();
        Instant expiresAt = ttl == null ? null : created.plus(ttl);
        String label = name == null ? "" : name.trim();
        if (label.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        return db.tx(h -> {
            User user = users.find(h, userId).orElseThrow(() -> ApiException.notFound("user " + userId + " not found"));
            h.createUpdate("""
                            INSERT INTO api_tokens (token_hash, prefix, user_id, name, created, expires_at, expired)
                            VALUES (:hash, :prefix, :user, :name, :created, :expires, :expired)""")
                    .bind("hash", Secrets.sha256Hex(token))
                    .bind("prefix", token.substring(0, PREFIX))
                    .bind("user", userId)
                    .bind("name", label)
                    .bind("created", created)
                    .bind("expires", expiresAt)
                    .bind("expired", false)
                    .execute();
            events.record(h, userId, null, ObjectType.USER, userId, user.username(),
                    "API token " + token.substring(0, PREFIX) + " created for " + user.username());
            return new ApiToken(token, created, false, userId, label, expiresAt);
        });
    }

    public List<ApiToken> list(long userId) {
        Instant now = Times.now();
        return db.read(h -> h.createQuery("""
                        SELECT prefix, created, expired, user_id, name, expires_at FROM api_tokens
                        WHERE user_id = :user ORDER BY created""")
                .bind("user", userId)
                .map((rs, ctx) -> {
                    Instant expiresAt = Rows.instant(rs, "expires_at", ctx);
                    boolean expired = rs.getBoolean("expired") || (expiresAt != null && !expiresAt.isAfter(now));
                    return new ApiToken(rs.getString("prefix"), Rows.instant(rs, "created", ctx), expired,
                            rs.getLong("user_id"), rs.getString("name"), expiresAt);
                })
                .list());
    }

    /** Deletes the user's token named by its whole value or by the 8-character id listings show. */
    public void delete(long userId, String tokenId) {
        db.txRun(h -> {
            String prefix = tokenId.length() >= PREFIX ? tokenId.substring(0, PREFIX) : tokenId;
            List<String> hashes = h.createQuery(
                            "SELECT token_hash FROM api_tokens WHERE user_id = :user AND prefix = :prefix")
                    .bind("user", userId).bind("prefix", prefix).mapTo(String.class).list();
            String exact = Secrets.sha256Hex(tokenId);
            List<String> matching = tokenId.length() > PREFIX
                    ? hashes.stream().filter(exact::equals).toList()
                    : tokenId.length() == PREFIX ? hashes : List.of();
            if (matching.isEmpty()) {
                throw ApiException.notFound("API token " + prefix + " not found");
            }
            if (matching.size() > 1) {
                throw ApiException.badRequest("API token id " + prefix + " is ambiguous; give the whole token");
            }
            h.createUpdate("DELETE FROM api_tokens WHERE token_hash = :hash").bind("hash", matching.get(0)).execute();
            String username = users.find(h, userId).map(User::username).orElse("");
            events.record(h, userId, null, ObjectType.USER, userId, username, "API token " + prefix + " deleted");
        });
        credentialsChanged.run();
    }

    /** Who a live token belongs to, and until when it lives (null: no expiry). */
    public record TokenOwner(User user, Instant expiresAt) {
    }

    public Optional<TokenOwner> authenticate(String token) {
        Instant now = Times.now();
        record Row(long userId, Instant expiresAt, boolean live) {
        }
        return db.read(h -> h.createQuery("""
                        SELECT user_id, expires_at, expired FROM api_tokens WHERE token_hash = :hash""")
                .bind("hash", Secrets.sha256Hex(token))
                .map((rs, ctx) -> {
                    Instant expiresAt = Rows.instant(rs, "expires_at", ctx);
                    boolean live = !rs.getBoolean("expired") && (expiresAt == null || expiresAt.isAfter(now));
                    return new Row(rs.getLong("user_id"), expiresAt, live);
                })
                .findOne()
                .filter(Row::live)
                .flatMap(row -> users.find(h, row.userId()).map(user -> new TokenOwner(user, row.expiresAt()))));
    }
}
