package dev.semaphore.integration;

import dev.semaphore.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records deliveries off the request thread, many rows per insert, so a flood of webhook calls costs
 * the database one write per 500 deliveries (or per 200 ms) instead of one per call. At most 10,000
 * wait; beyond that a flood is counted in the server log rather than kept. Deliveries older than the retention are deleted
 * hourly.
 */
final class DeliveryLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);
    private static final int BATCH = 500;

    private final Database db;
    private final Duration retention;
    private final IntegrationStore store = new IntegrationStore();
    private final BlockingQueue<IntegrationStore.NewDelivery> waiting = new ArrayBlockingQueue<>(10_000);
    private final AtomicLong dropped = new AtomicLong();
    private Thread writer;
    private volatile boolean closed;

    DeliveryLog(Database db, Duration retention) {
        this.db = db;
        this.retention = retention;
    }

    /** Starts writing in the background (a server; the CLI never does). */
    synchronized void start() {
        if (writer == null) {
            writer = Thread.ofPlatform().daemon().name("integration-deliveries").start(this::write);
        }
    }

    void add(IntegrationStore.NewDelivery delivery) {
        if (!waiting.offer(delivery)) {
            dropped.incrementAndGet();
        }
    }

    /** Writes what waits now (tests and shutdown); deliveries leave the queue only under this lock. */
    synchronized void flush() {
        List<IntegrationStore.NewDelivery> batch = new ArrayList<>();
        while (waiting.drainTo(batch, BATCH) > 0) {
            try {
                db.txRun(h -> store.insertDeliveries(h, batch));
            } catch (RuntimeException e) {
                LOG.warn("{} integration deliveries not recorded: {}", batch.size(), e.getMessage());
            }
            batch.clear();
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warn("{} integration deliveries arrived faster than they could be recorded and were not", lost);
        }
    }

    private void write() {
        Instant nextSweep = Instant.now();
        while (!closed) {
            try {
                if (waiting.isEmpty()) {
                    Thread.sleep(100);
                } else {
                    if (waiting.size() < BATCH) {
                        Thread.sleep(200); // let a burst gather into one insert
                    }
                    flush();
                }
                if (Instant.now().isAfter(nextSweep)) {
                    Instant before = Instant.now().minus(retention);
                    int removed = db.tx(h -> store.deleteDeliveriesBefore(h, before));
                    if (removed > 0) {
                        LOG.info("deleted {} integration deliveries older than {} days", removed, retention.toDays());
                    }
                    nextSweep = Instant.now().plus(Duration.ofHours(1));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("recording integration deliveries failed: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = writer;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flush();
        }
    }
}
