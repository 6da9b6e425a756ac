package dev.semaphore.db;

import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN} on a connection of its own, outside the pool: {@code onNotify} runs on this listener's thread
 * each time the channel was notified (several notifications read at once run it once). A lost connection
 * is opened again after a second; what was notified meanwhile is missed, so a listener is a shortcut,
 * never the only way a change is found.
 */
public final class PgListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgListener.class);
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final Database db;
    private final String channel;
    private final Runnable onNotify;
    private final Thread thread;
    private volatile boolean closed;

    /** Starts listening at once on {@code channel} (a plain identifier: it is written into the statement). */
    public PgListener(Database db, String channel, Runnable onNotify) {
        if (db.dialect() != Dialect.POSTGRES || !channel.matches("[a-z_]+")) {
            throw new IllegalArgumentException("LISTEN needs PostgreSQL and a plain channel name");
        }
        this.db = db;
        this.channel = channel;
        this.onNotify = onNotify;
        this.thread = Thread.ofPlatform().daemon().name("pg-listen-" + channel).start(this::listen);
    }

    /** Notifies the channel when the transaction of {@code h} commits (at once outside one). */
    public static void notify(Handle h, String channel) {
        h.execute("SELECT pg_notify(?, '')", channel);
    }

    private void listen() {
        boolean failing = false;
        while (!closed) {
            try (java.sql.Connection connection = db.connectUnpooled()) {
                try (var statement = connection.createStatement()) {
                    statement.execute("LISTEN " + channel);
                }
                if (failing) {
                    LOG.info("listening on {} again", channel);
                    failing = false;
                }
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (!closed) {
                    var notifications = listening.getNotifications((int) WAIT.toMillis());
                    if (notifications != null && notifications.length > 0) {
                        onNotify.run();
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    // Once per outage: the database may be away for minutes.
                    LOG.warn("listening on {} failed, trying every {} s until it works: {}", channel, WAIT.toSeconds(),
                            e.getMessage());
                    failing = true;
                }
                try {
                    Thread.sleep(WAIT.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(WAIT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
