package dev.semaphore.security;

import dev.semaphore.user.User;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers for a few seconds which user a token or session cookie belongs to, so that a busy
 * client costs no session lookup per request. Any change to users, tokens or sessions empties it.
 * Where several server processes share the database, every change also moves a counter in the
 * database before the request that made it returns, and a remembered answer counts only while the
 * counter is where it was when the answer was read: a logout, a password change or a deleted token
 * holds on every process at once, for one tiny read per request instead of a session lookup.
 */
public final class CredentialCache {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CredentialCache.class);
    static final long TTL_NANOS = 5_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    /** A credential's owner, and the moment the credential itself stops being valid (null: never). */
    public record Grant(User user, Instant validUntil) {
    }

    /** The database's count of credential changes, shared by every server process. */
    public interface Epoch {
        long read();

        /** Moves the count on, at once (not at the next poll). */
        void advance();
    }

    private record Entry(User user, long expiresAt, long epoch) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Runnable tellOthers;
    private final Epoch epoch;

    /**
     * @param tellOthers told after every change here, for the other server processes to clear theirs
     * @param epoch the shared count of changes, or null where one process owns the database (SQLite)
     */
    public CredentialCache(Runnable tellOthers, Epoch epoch) {
        this.tellOthers = tellOthers;
        this.epoch = epoch;
    }

    /**
     * The cached user for a credential digest, or the loader's answer, cached while both the
     * cache's TTL and the credential's own lifetime last.
     */
    public Optional<User> get(String digest, Supplier<Optional<Grant>> loader) {
        long now = System.nanoTime();
        Entry entry = entries.get(digest);
        // Read before the credential is: a change that lands meanwhile leaves this entry behind the count.
        long current = epoch == null ? 0 : epoch.read();
        if (entry != null && entry.expiresAt() - now > 0 && entry.epoch() == current) {
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
            entries.put(digest, new Entry(loaded.get().user(), now + ttl, current));
        } else {
            entries.remove(digest);
        }
        return loaded.map(Grant::user);
    }

    /** Told after every change (here or elsewhere) that could revoke or alter a credential. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Called on every change that could revoke or alter a credential, after it committed. */
    public void clear() {
        entries.clear();
        listeners.forEach(Runnable::run);
        if (epoch != null) {
            try {
                epoch.advance();
            } catch (RuntimeException e) {
                // The other processes still hear of it through tellOthers, within two polls.
                LOG.warn("the change of credentials could not be announced at once: {}", e.getMessage());
            }
        }
        tellOthers.run();
    }

    /** Another server process changed users, tokens or sessions. */
    public void clearAfterChangeElsewhere() {
        entries.clear();
        listeners.forEach(Runnable::run);
    }
}
