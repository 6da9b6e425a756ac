package dev.semaphore.live;

import dev.semaphore.common.Json;
import dev.semaphore.security.ProjectAccessResolver;
import dev.semaphore.user.User;
import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@code /api/ws} connections and who holds each. What is published goes into one journal,
 * shared by every socket (one copy of each message, whatever the number of watchers); each socket has a
 * sender of its own that reads the journal from its own place, keeps what its user may see (a project's
 * messages go to its members and to admins) and writes it in batches of frames as fast as the socket
 * takes them. A publisher never waits on a socket, and one slow or stalled socket never delays the
 * others: one that falls out of the journal's window ({@link #JOURNAL_CHARS}) is closed
 * ({@link #TOO_FAR_BEHIND}) for its client to read the rest from the REST output. Who holds a socket is
 * asked again at most every 2 s, and at once after any logout, password change or deleted token; a
 * socket whose credential ended is closed (4001) before it would receive anything more, and within
 * {@link #SWEEP_SECONDS} seconds when nothing is published.
 */
public final class LiveHub implements AutoCloseable {
    static final int SWEEP_SECONDS = 5;
    /** The close code for a socket too far behind: read the output again through the REST API. */
    public static final int TOO_FAR_BEHIND = 4008;
    /** How much published text the journal keeps for sockets that are behind. */
    static final long JOURNAL_CHARS = 16_000_000;
    private static final int JOURNAL_ENTRIES = 1 << 18;
    private static final long CREDENTIAL_TTL_NANOS = 2_000_000_000L;
    private static final long ACCESS_TTL_NANOS = 2_000_000_000L;
    /** Journal entries a sender takes at once. */
    private static final int FRAMES_PER_WRITE = 256;
    /** Frames handed to a socket and not yet written, at most: beyond, its sender waits for the socket. */
    private static final int FRAMES_IN_FLIGHT = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ProjectAccessResolver projects;
    private final Journal journal = new Journal();

    /** One published message: its place in the journal, the project it is about, its JSON. */
    private record Entry(long seq, long projectId, String text) {
    }

    /** The published messages still kept, in order, in a ring; {@link #next} is the place of the next one. */
    private static final class Journal {
        private final Entry[] ring = new Entry[JOURNAL_ENTRIES];
        private long first;
        private long next;
        private long chars;

        synchronized void append(long projectId, List<String> texts) {
            for (String text : texts) {
                if (next - first == ring.length) {
                    dropFirst();
                }
                ring[(int) (next % ring.length)] = new Entry(next, projectId, text);
                next++;
                chars += text.length();
            }
            while (chars > JOURNAL_CHARS && first < next) {
                dropFirst();
            }
        }

        private void dropFirst() {
            int at = (int) (first % ring.length);
            chars -= ring[at].text().length();
            ring[at] = null;
            first++;
        }

        synchronized long next() {
            return next;
        }

        /**
         * Up to {@code max} messages from {@code from} on (empty when there are none yet); null when
         * {@code from} has left the journal (the reader is too far behind).
         */
        synchronized List<Entry> read(long from, int max) {
            if (from < first) {
                return null;
            }
            List<Entry> out = new java.util.ArrayList<>((int) Math.min(max, Math.max(0, next - from)));
            for (long seq = from; seq < next && out.size() < max; seq++) {
                out.add(ring[(int) (seq % ring.length)]);
            }
            return out;
        }
    }

    /**
     * An open socket: how to learn whether its credential still holds (and for whom), what it was last
     * found to be and when, which projects it may hear about (remembered for {@link #ACCESS_TTL_NANOS} at
     * most, forgotten at once on this process's membership changes), and its place in the journal.
     */
    private final class Connection {
        final WsContext ctx;
        final java.util.function.Supplier<java.util.Optional<User>> credential;
        final Map<Long, Long> allowedUntil = new ConcurrentHashMap<>();
        volatile java.util.Optional<User> user = java.util.Optional.empty();
        volatile long checkedAt;
        volatile boolean checked;
        volatile boolean open = true;
        private long cursor;
        private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicBoolean pumping = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean again;
        private final org.eclipse.jetty.websocket.api.Callback written = org.eclipse.jetty.websocket.api.Callback.from(
                () -> written(null), this::written);

        Connection(WsContext ctx, java.util.function.Supplier<java.util.Optional<User>> credential, long from) {
            this.ctx = ctx;
            this.credential = credential;
            this.cursor = from;
        }

        String id() {
            return ctx.sessionId();
        }

        /**
         * Hands the socket what the journal holds for it from its place on, as long as fewer than
         * {@link #FRAMES_IN_FLIGHT} of its frames are unwritten (Jetty writes what is queued together); a
         * socket at that mark is passed by, and catches up from the journal when its writes complete. Never
         * waits: publishers call it for every socket.
         */
        void pump() {
            again = true;
            // Whoever holds the pump runs it again while others asked meanwhile; nobody's ask is lost.
            while (again && open && pumping.compareAndSet(false, true)) {
                try {
                    again = false;
                    sendWhileRoom();
                } catch (RuntimeException e) {
                    LOG.debug("dropping websocket {}: {}", id(), e.getMessage());
                    open = false;
                    connections.remove(id());
                } finally {
                    pumping.set(false);
                }
            }
        }

        private void sendWhileRoom() {
            while (open && inFlight.get() < FRAMES_IN_FLIGHT) {
                List<Entry> entries = journal.read(cursor, Math.min(FRAMES_PER_WRITE, FRAMES_IN_FLIGHT - inFlight.get()));
                if (entries == null) {
                    close(TOO_FAR_BEHIND, "too far behind: read the rest of the output through the REST API");
                    return;
                }
                if (entries.isEmpty()) {
                    return;
                }
                java.util.Optional<User> holder = currentUser(this);
                if (holder.isEmpty()) {
                    return;
                }
                for (Entry entry : entries) {
                    if (holder.get().admin() || allowed(this, holder.get(), entry.projectId())) {
                        inFlight.incrementAndGet();
                        ctx.session.sendText(entry.text(), written);
                    }
                    cursor = entry.seq() + 1;
                }
            }
        }

        /** A frame was written (or failed): once half the room is back, the socket catches up. */
        private void written(Throwable failure) {
            if (failure != null) {
                open = false;
                connections.remove(id());
                return;
            }
            if (inFlight.decrementAndGet() == FRAMES_IN_FLIGHT / 2 && open) {
                Thread.ofVirtual().start(this::pump);
            }
        }

        void close(int code, String reason) {
            open = false;
            connections.remove(id());
            try {
                ctx.closeSession(code, reason);
            } catch (RuntimeException alreadyClosed) {
                LOG.debug("websocket {} was closed already", id());
            }
        }
    }

    public LiveHub(ProjectAccessResolver projects) {
        this.projects = projects;
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.debug("websocket sweep failed: {}", e.getMessage());
            }
        }, SWEEP_SECONDS, SWEEP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    void opened(WsContext ctx, java.util.function.Supplier<java.util.Optional<User>> credential) {
        connections.put(ctx.sessionId(), new Connection(ctx, credential, journal.next()));
    }

    void closed(WsContext ctx) {
        Connection connection = connections.remove(ctx.sessionId());
        if (connection != null) {
            connection.open = false;
        }
    }

    /** A credential may have ended (a logout, a password change, a deleted token): every socket asks again. */
    public void credentialsChanged() {
        connections.values().forEach(c -> c.checked = false);
    }

    /** Closes the sockets whose credential no longer holds; runs every few seconds while the server runs. */
    void sweep() {
        for (Connection connection : connections.values()) {
            connection.checked = false;
            currentUser(connection);
        }
    }

    /**
     * The connection's user as its credential says (asked again after 2 s, or at once after a change);
     * empty, and the socket closed, once it ended.
     */
    private java.util.Optional<User> currentUser(Connection connection) {
        long now = System.nanoTime();
        if (connection.checked && now - connection.checkedAt < CREDENTIAL_TTL_NANOS) {
            return connection.user;
        }
        java.util.Optional<User> user;
        try {
            user = connection.credential.get();
        } catch (RuntimeException databaseTrouble) {
            return connection.user; // asked again at the next batch or sweep
        }
        connection.user = user;
        connection.checkedAt = now;
        connection.checked = true;
        if (user.isEmpty()) {
            connection.close(4001, "session ended");
        }
        return user;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        connections.values().forEach(c -> c.open = false);
    }

    /** Told of every batch published on this process (to pass it on to the other server processes). */
    public void onPublished(java.util.function.BiConsumer<Long, List<String>> listener) {
        publishedListeners.add(listener);
    }

    private final List<java.util.function.BiConsumer<Long, List<String>>> publishedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Sends each message (serialised as JSON) to every connection allowed to see the project. */
    public void publish(long projectId, List<?> messages) {
        if (messages.isEmpty() || (connections.isEmpty() && publishedListeners.isEmpty())) {
            return;
        }
        List<String> texts = messages.stream().map(Json::write).toList();
        publishedListeners.forEach(l -> l.accept(projectId, texts));
        deliver(projectId, texts);
    }

    /** Messages already serialised (this process's or another's) for this process's sockets; never waits on one. */
    public void deliver(long projectId, List<String> texts) {
        if (connections.isEmpty() || texts.isEmpty()) {
            return;
        }
        journal.append(projectId, texts);
        connections.values().forEach(Connection::pump);
    }

    /** Projects or memberships changed: every socket asks again who may hear what. */
    public void accessChanged() {
        connections.values().forEach(c -> c.allowedUntil.clear());
    }

    private boolean allowed(Connection connection, User user, long projectId) {
        long now = System.nanoTime();
        Long until = connection.allowedUntil.get(projectId);
        if (until != null && until - now > 0) {
            return true;
        }
        boolean member = projects.resolve(projectId, user).isPresent();
        if (member) {
            connection.allowedUntil.put(projectId, now + ACCESS_TTL_NANOS);
        } else {
            connection.allowedUntil.remove(projectId);
        }
        return member;
    }

}
