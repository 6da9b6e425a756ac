package dev.semaphore.node;

import dev.semaphore.db.Database;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other server processes on this database that something they cache changed here: each kind of
 * change is a counter in {@code cluster_signals}. A change raised here is written by the next poll (so a
 * caller inside a transaction never waits on another), and every {@link #POLL} each process reads the
 * counters and runs the watchers of those that moved: a change reaches every process within two polls.
 */
public final class ClusterSignals implements AutoCloseable {
    public static final Duration POLL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSignals.class);

    private final Database db;
    private final Map<String, List<Runnable>> watchers = new ConcurrentHashMap<>();
    private final Set<String> raised = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> seen = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cluster-signals").factory());

    public ClusterSignals(Database db) {
        this.db = db;
    }

    /** Runs {@code reaction} when another process (or this one) raises {@code signal}. */
    public void watch(String signal, Runnable reaction) {
        watchers.computeIfAbsent(signal, s -> new CopyOnWriteArrayList<>()).add(reaction);
    }

    /** Says that {@code signal}'s data changed here; the other processes hear of it within two polls. */
    public void raise(String signal) {
        raised.add(signal);
    }

    /** A signal's counter as the database has it now. */
    public long version(String signal) {
        return db.read(h -> h.createQuery("SELECT version FROM cluster_signals WHERE name = :n").bind("n", signal)
                .mapTo(Long.class).findOne().orElse(0L));
    }

    /** Moves a signal's counter now, for a change that must be seen before its request returns. */
    public void raiseNow(String signal) {
        db.txRun(h -> h.createUpdate("UPDATE cluster_signals SET version = version + 1 WHERE name = :n")
                .bind("n", signal).execute());
    }

    /** Starts polling (after the migrations). */
    public void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        List<String> toWrite = List.copyOf(raised);
        raised.removeAll(toWrite);
        try {
            Map<String, Long> versions = db.tx(h -> {
                for (String signal : toWrite) {
                    h.createUpdate("UPDATE cluster_signals SET version = version + 1 WHERE name = :n")
                            .bind("n", signal).execute();
                }
                Map<String, Long> now = new HashMap<>();
                h.createQuery("SELECT name, version FROM cluster_signals")
                        .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("version")))
                        .forEach(e -> now.put(e.getKey(), e.getValue()));
                return now;
            });
            versions.forEach((signal, version) -> {
                Long before = seen.put(signal, version);
                if (before != null && !before.equals(version)) {
                    watchers.getOrDefault(signal, List.of()).forEach(Runnable::run);
                }
            });
        } catch (RuntimeException e) {
            raised.addAll(toWrite);
            LOG.warn("cluster signals could not be read or written: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
