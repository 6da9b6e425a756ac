package dev.semaphore.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.semaphore.common.Json;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live messages across server processes on one database: what this process publishes is written to
 * {@code live_events} (batched, every {@link #TICK}), and the other processes' rows are read every tick,
 * in id order, and sent to the browsers connected here. A
 * browser on any node sees a task running on another within about two ticks. On PostgreSQL each write
 * also notifies {@link #CHANNEL}: the others read at once when told, and otherwise only every
 * {@link #PG_READ_EVERY} (for gaps and a missed notification), instead of 40 times a second.
 */
public final class LiveRelay implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(25);
    static final String CHANNEL = "semaphore_live";
    static final Duration PG_READ_EVERY = Duration.ofMillis(250);
    static final Duration KEEP = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);
    private static final TypeReference<List<String>> TEXTS = new TypeReference<>() {
    };

    private record Batch(long projectId, List<String> texts) {
    }

    private final Database db;
    private final String origin;
    private final LiveHub hub;
    private final ConcurrentLinkedQueue<Batch> outgoing = new ConcurrentLinkedQueue<>();
    static final Duration GAP_WAIT = Duration.ofSeconds(2);
    /** Every id at or below it was read (or given up on); above it, the ids read already. */
    private long lowWater;
    private final java.util.TreeSet<Long> seen = new java.util.TreeSet<>();
    private long gapSince;
    private Instant lastPrune = Instant.EPOCH;
    private dev.semaphore.db.PgListener listener;
    private final java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastRead;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("live-relay").factory());

    public LiveRelay(Database db, String origin, LiveHub hub) {
        this.db = db;
        this.origin = origin;
        this.hub = hub;
    }

    /** Starts relaying (after the migrations): from now on, nothing older. */
    public void start() {
        lowWater = db.read(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM live_events").mapTo(Long.class).one());
        hub.onPublished((projectId, texts) -> outgoing.add(new Batch(projectId, texts)));
        if (db.dialect() == dev.semaphore.db.Dialect.POSTGRES) {
            // Told: read at once unless a read ran within a tick (then the next tick reads), so under load
            // this reads no more often than polling did. Only reads: writes keep their batches of a tick.
            listener = new dev.semaphore.db.PgListener(db, CHANNEL, () -> {
                if (!told.getAndSet(true) && System.nanoTime() - lastRead >= TICK.toNanos()) {
                    ticker.execute(this::readIfTold);
                }
            });
        }
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            write();
            long now = System.nanoTime();
            if (listener == null || told.getAndSet(false) || now - lastRead >= PG_READ_EVERY.toNanos()) {
                lastRead = now;
                read();
            }
            prune();
        } catch (RuntimeException e) {
            LOG.warn("live messages could not be relayed: {}", e.getMessage());
        }
    }

    private void readIfTold() {
        try {
            if (told.getAndSet(false)) {
                lastRead = System.nanoTime();
                read();
            }
        } catch (RuntimeException e) {
            LOG.warn("live messages could not be relayed: {}", e.getMessage());
        }
    }

    private void write() {
        List<Batch> batches = new ArrayList<>();
        for (Batch b = outgoing.poll(); b != null; b = outgoing.poll()) {
            batches.add(b);
        }
        if (batches.isEmpty()) {
            return;
        }
        Instant now = Times.now();
        db.txRun(h -> {
            var insert = h.prepareBatch("INSERT INTO live_events (origin, project_id, messages, created)"
                    + " VALUES (:origin, :project, :messages, :created)");
            for (Batch batch : batches) {
                insert.bind("origin", origin).bind("project", batch.projectId())
                        .bind("messages", Json.write(batch.texts()))
                        .bind("created", now).add();
            }
            insert.execute();
            if (listener != null) {
                dev.semaphore.db.PgListener.notify(h, CHANNEL);
            }
        });
    }

    /**
     * Reads every row above the low-water mark (this process's too, to see the ids it took), delivers the
     * others' once, and moves the mark over ids seen. An id not seen while later ones are may belong to a
     * transaction not committed yet: the mark waits for it up to {@link #GAP_WAIT} (then it was rolled
     * back, or a sequence skipped it).
     */
    private void read() {
        record Row(long id, String origin, long projectId, String messages) {
        }
        List<Row> rows = db.read(h -> h.createQuery("SELECT id, origin, project_id, messages FROM live_events"
                        + " WHERE id > :low ORDER BY id")
                .bind("low", lowWater).setMaxRows(5000)
                .map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("origin"), rs.getLong("project_id"),
                        rs.getString("messages")))
                .list());
        for (Row row : rows) {
            if (!seen.add(row.id()) || row.origin().equals(origin)) {
                continue;
            }
            try {
                hub.deliver(row.projectId(), Json.mapper().readValue(row.messages(), TEXTS));
            } catch (JsonProcessingException e) {
                LOG.debug("live message {} unreadable: {}", row.id(), e.getMessage());
            }
        }
        long now = System.nanoTime();
        while (!seen.isEmpty()) {
            if (seen.remove(lowWater + 1)) {
                lowWater++;
                gapSince = 0;
            } else if (gapSince == 0) {
                gapSince = now;
                break;
            } else if (now - gapSince > GAP_WAIT.toNanos()) {
                lowWater++;
                gapSince = now;
            } else {
                break;
            }
        }
    }

    private void prune() {
        Instant now = Times.now();
        if (Duration.between(lastPrune, now).compareTo(Duration.ofSeconds(30)) < 0) {
            return;
        }
        lastPrune = now;
        db.txRun(h -> h.createUpdate("DELETE FROM live_events WHERE created < :cutoff")
                .bind("cutoff", now.minus(KEEP)).execute());
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
        ticker.shutdownNow();
    }
}
