package dev.semaphore.security;

import dev.semaphore.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers for a few seconds which user a token or session cookie belongs to, so that a busy
 * client costs no database lookup per request. Any change to users, tokens or sessions on this
 * node empties it at once, and the other nodes sharing the database within half a second
 * (node.ClusterSignals).
 */
public final class CredentialCache {
    static final long TTL_NANOS = 5_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    /** A credential's owner, and the moment the credential itself stops being valid (null: never). */
    public record Grant(User user, Instant validUntil) {
    }

    private record Entry(User user, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Runnable tellOthers;

    /** @param tellOthers told after every change here, for the other server processes to clear theirs */
    public CredentialCache(Runnable tellOthers) {
        this.tellOthers = tellOthers;
    }

    /**
     * The cached user for a credential digest, or the loader's answer, cached while both the
     * cache's TTL and the credential's own lifetime last.
     */
    public Optional<User> get(String digest, Supplier<Optional<Grant>> loader) {
        long now = System.nanoTime();
        Entry entry = entries.get(digest);
        if (entry != null && entry.expiresAt() - now > 0) {
            return Optional.of(entry.user());
        }
        Optional<Grant> loaded = loader.get();
        if (loaded.isPresent()) {
            long ttl = TTL_NANOS;
            Instant validUntil = loaded.get().validUntil();
            if (validUntil != null) {
                ttl = Math.min(ttl, Math.max(0, Duration.between(Instant.now(), validUntil).toNanos()));
            }
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(digest, new Entry(loaded.get().user(), now + ttl));
        } else {
            entries.remove(digest);
        }
        return loaded.map(Grant::user);
    }

    /** Called on every change that could revoke or alter a credential. */
    public void clear() {
        entries.clear();
        tellOthers.run();
    }

    /** Another server process changed users, tokens or sessions. */
    public void clearAfterChangeElsewhere() {
        entries.clear();
    }
}
