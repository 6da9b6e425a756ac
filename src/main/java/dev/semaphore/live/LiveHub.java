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
 * The open {@code /api/ws} connections and who holds each. Messages about a project go to its
 * members and to admins; recipients are worked out once per batch, not once per line. A socket
 * whose session or token has ended is closed (4001) before it would receive anything, and within
 * {@link #SWEEP_SECONDS} seconds when nothing is published.
 */
public final class LiveHub implements AutoCloseable {
    static final int SWEEP_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final ProjectAccessResolver projects;

    /**
     * An open socket, how to learn whether its credential still holds (and for whom), and which
     * projects it may hear about, remembered for {@link #ACCESS_TTL_NANOS} at most (other server
     * processes' membership changes) and forgotten at once on this process's.
     */
    private record Connection(WsContext ctx, java.util.function.Supplier<java.util.Optional<User>> credential,
                              Map<Long, Long> allowedUntil) {
    }

    private static final long ACCESS_TTL_NANOS = 2_000_000_000L;

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
        connections.put(ctx.sessionId(), new Connection(ctx, credential, new ConcurrentHashMap<>()));
    }

    void closed(WsContext ctx) {
        connections.remove(ctx.sessionId());
    }

    /** Closes the sockets whose credential no longer holds; runs every few seconds while the server runs. */
    void sweep() {
        for (Connection connection : connections.values()) {
            currentUser(connection);
        }
    }

    /** The connection's user as its credential says now; empty (and the socket closed) once it ended. */
    private java.util.Optional<User> currentUser(Connection connection) {
        java.util.Optional<User> user;
        try {
            user = connection.credential().get();
        } catch (RuntimeException databaseTrouble) {
            return java.util.Optional.empty(); // asked again at the next delivery or sweep
        }
        if (user.isEmpty()) {
            connections.remove(connection.ctx().sessionId());
            try {
                connection.ctx().closeSession(4001, "session ended");
            } catch (RuntimeException alreadyClosed) {
                LOG.debug("websocket {} was closed already", connection.ctx().sessionId());
            }
        }
        return user;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
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

    /** Sends messages already serialised (another server process's) to this process's connections. */
    public void deliver(long projectId, List<String> texts) {
        if (connections.isEmpty() || texts.isEmpty()) {
            return;
        }
        for (Connection connection : connections.values()) {
            java.util.Optional<User> user = currentUser(connection);
            if (user.isEmpty()) {
                continue;
            }
            if (!user.get().admin() && !allowed(connection, user.get(), projectId)) {
                continue;
            }
            try {
                // One publisher's batch at a time per socket, so messages keep the order they were published in.
                synchronized (connection) {
                    texts.forEach(connection.ctx()::send);
                }
            } catch (RuntimeException e) {
                LOG.debug("dropping websocket {}: {}", connection.ctx().sessionId(), e.getMessage());
                connections.remove(connection.ctx().sessionId());
            }
        }
    }

    /** Projects or memberships changed: every socket asks again who may hear what. */
    public void accessChanged() {
        connections.values().forEach(c -> c.allowedUntil().clear());
    }

    private boolean allowed(Connection connection, User user, long projectId) {
        long now = System.nanoTime();
        Long until = connection.allowedUntil().get(projectId);
        if (until != null && until - now > 0) {
            return true;
        }
        boolean member = projects.resolve(projectId, user).isPresent();
        if (member) {
            connection.allowedUntil().put(projectId, now + ACCESS_TTL_NANOS);
        } else {
            connection.allowedUntil().remove(projectId);
        }
        return member;
    }

}
