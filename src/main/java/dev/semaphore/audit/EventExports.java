package dev.semaphore.audit;

import dev.semaphore.db.Database;
import dev.semaphore.db.Dialect;
import dev.semaphore.event.Event;
import dev.semaphore.event.EventLog;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the activity log on, after it is committed: every second each export (the events file, the audit
 * webhook) takes the events after the last one it delivered, in order, under a lock on its row of
 * {@code event_exports}, so with several server processes each event goes out once, and an export that
 * fails (a webhook down) tries again from where it stopped. Requests never wait for any of it.
 */
public final class EventExports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventExports.class);

    /** Where events go: each delivers in order and says how many it delivered before a failure. */
    public interface Sink {
        String name();

        /** How many events one transaction hands it at most. */
        default int batch() {
            return 500;
        }

        /** @return how many of {@code events}, from the first, were delivered (all, unless it failed) */
        int deliver(List<Event> events);
    }

    private final Database db;
    private final EventLog events;
    private final List<Sink> sinks;
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("event-exports").factory());

    public EventExports(Database db, EventLog events, List<Sink> sinks) {
        this.db = db;
        this.events = events;
        this.sinks = List.copyOf(sinks);
    }

    /** Starts exporting (after the migrations); an export new to this database starts at its newest event. */
    public void start() {
        if (!sinks.isEmpty()) {
            timer.scheduleWithFixedDelay(this::exportAll, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Runs every export once now (tests, and each tick). */
    public void exportAll() {
        for (Sink sink : sinks) {
            try {
                Outcome outcome;
                do {
                    outcome = exportBatch(sink);
                } while (!outcome.failed() && outcome.delivered() == sink.batch());
                if (outcome.failed()) {
                    throw new IllegalStateException(sink.name() + " stopped after " + outcome.delivered()
                            + " event(s) of a batch");
                }
            } catch (RuntimeException e) {
                long now = System.currentTimeMillis();
                if (now - lastWarned.getOrDefault(sink.name(), 0L) > 60_000) {
                    lastWarned.put(sink.name(), now);
                    LOG.warn("exporting the activity log to {} failed, trying again: {}", sink.name(), e.getMessage());
                }
            }
        }
    }

    private record Outcome(int delivered, boolean failed) {
    }

    /** One batch in one transaction: the row stays locked while it is delivered, and moves past what went out. */
    private Outcome exportBatch(Sink sink) {
        return db.tx(h -> {
            String lock = db.dialect() == Dialect.SQLITE ? "" : " FOR UPDATE";
            Long last = h.createQuery("SELECT last_id FROM event_exports WHERE name = :n" + lock)
                    .bind("n", sink.name()).mapTo(Long.class).findOne().orElse(null);
            if (last == null) {
                h.createUpdate("INSERT INTO event_exports (name, last_id) VALUES (:n, :id)")
                        .bind("n", sink.name()).bind("id", events.lastId(h)).execute();
                return new Outcome(0, false);
            }
            List<Event> batch = events.after(h, last, sink.batch());
            if (batch.isEmpty()) {
                return new Outcome(0, false);
            }
            int delivered = sink.deliver(batch);
            if (delivered > 0) {
                h.createUpdate("UPDATE event_exports SET last_id = :id WHERE name = :n")
                        .bind("id", batch.get(delivered - 1).id()).bind("n", sink.name()).execute();
            }
            return new Outcome(delivered, delivered < batch.size());
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
