package dev.semaphore.user;

import dev.semaphore.common.Times;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** API tokens for {@code Authorization: Bearer}. Only a SHA-256 digest of each token is stored. */
public final class ApiTokenService {
    private static final int PREFIX = 8;

    private final Database db;
    private final EventLog events;
    private final Runnable credentialsChanged;
    private final UserStore users = new UserStore();
    private final ApiTokenStore store = new ApiTokenStore();

    public ApiTokenService(Database db, EventLog events, Runnable credentialsChanged) {
        this.db = db;
        this.events = events;
        this.credentialsChanged = credentialsChanged;
    }

    /** Creates a token; the returned record carries the whole token, shown this once. */
    public ApiToken create(long userId, String name, Duration ttl) {
        return create(userId, name, ttl, h -> true);
    }

    /**
     * Creates a token for the holder of a credential: {@code stillValid} checks that credential inside the
     * token's transaction and holds it there, so a session or token that a logout, password change or
     * deletion ends on any server process never mints a token that outlives it (401).
     */
    public ApiToken create(long userId, String name, Duration ttl, java.util.function.Predicate<Handle> stillValid) {
        return create(userId, name, ttl, null, stillValid);
    }

    /** @param until when it stops working (upstream's {@code expires_at}), or null; not with {@code ttl} */
    public ApiToken create(long userId, String name, Duration ttl, Instant until,
                           java.util.function.Predicate<Handle> stillValid) {
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw ApiException.badRequest("field 'ttl' must be positive");
        }
        if (ttl != null && until != null) {
            throw ApiException.badRequest("field 'expires_at': give either it or 'ttl'");
        }
        String token = Secrets.token(32);
        Instant created = Times.now();
        if (until != null && !until.isAfter(created)) {
            throw ApiException.badRequest("field 'expires_at' is in the past");
        }
        Instant expiresAt = until != null ? until : ttl == null ? null : created.plus(ttl);
        String label = name == null ? "" : name.trim();
        if (label.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        return db.tx(h -> {
            // The user's row first, as a password change takes it: locks in one order, no deadlock.
            users.hold(h, userId);
            if (!stillValid.test(h)) {
                throw ApiException.unauthorized("this session or token has ended");
            }
            User user = users.find(h, userId).orElseThrow(() -> ApiException.notFound("user " + userId + " not found"));
            store.insert(h, Secrets.sha256Hex(token), token.substring(0, PREFIX), userId, label, created, expiresAt);
            events.record(h, userId, null, ObjectType.USER, userId, user.username(),
                    "API token " + token.substring(0, PREFIX) + " created for " + user.username());
            return new ApiToken(token, created, false, userId, label, expiresAt);
        });
    }

    /** Whether a token is live, holding its row until the caller's transaction ends. */
    public boolean holdLive(Handle h, String token) {
        return store.holdLive(h, Secrets.sha256Hex(token), Times.now());
    }

    public List<ApiToken> list(long userId) {
        Instant now = Times.now();
        return db.read(h -> store.ofUser(h, userId)).stream()
                .map(row -> new ApiToken(row.prefix(), row.created(), !row.liveAt(now), row.userId(), row.name(),
                        row.expiresAt()))
                .toList();
    }

    /** Deletes the user's token named by its whole value or by the 8-character id listings show. */
    public void delete(long userId, String tokenId) {
        db.txRun(h -> {
            String prefix = tokenId.length() >= PREFIX ? tokenId.substring(0, PREFIX) : tokenId;
            List<String> hashes = store.hashesWithPrefix(h, userId, prefix);
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
            store.delete(h, matching.get(0));
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
        return db.read(h -> store.byHash(h, Secrets.sha256Hex(token))
                .filter(row -> row.liveAt(now))
                .flatMap(row -> users.find(h, row.userId()).map(user -> new TokenOwner(user, row.expiresAt()))));
    }
}
