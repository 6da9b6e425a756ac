package dev.semaphore.task.dispatch;

import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskLog;
import dev.semaphore.task.job.JobOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Collects a running task's lines, masks secret values, and writes them in batches: at most every
 * 100 ms, or sooner when 1,000 lines wait. Nothing is dropped: while the database does not answer, the
 * lines wait in order ({@link PendingLines}: bounded memory, then a file) and the reading of the task's
 * output never waits for the database. {@link #close} writes what is left.
 */
final class LogSink implements JobOutput, AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogSink.class);
    private static final int BATCH = 1_000;

    private final TaskLog log;
    private final TaskEvents events;
    /** Tells listeners of stored lines in the order they were stored, off the reading thread. */
    private final java.util.concurrent.ExecutorService publisher =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().factory());
    private final long projectId;
    private final long taskId;
    private volatile List<String> secrets;
    private final ScheduledExecutorService flusher;
    /** One writer at a time, so that batches are stored in order; the lines themselves are guarded by this. */
    private final java.util.concurrent.locks.ReentrantLock writer = new java.util.concurrent.locks.ReentrantLock();
    private final PendingLines pending;
    private int written;
    private boolean sentFirst;
    /** The last write failed: until one succeeds only the flusher tries, never the thread reading the output. */
    private volatile boolean failing;

    private final java.util.function.BooleanSupplier shuttingDown;

    /**
     * @param written lines the task's log already holds (notes written when it was queued)
     * @param spill makes the folder where lines the database cannot take yet go beyond what memory holds
     * @param shuttingDown whether the server is stopping: lines not written by then are given up
     */
    LogSink(TaskLog log, TaskEvents events, long projectId, long taskId, List<String> secrets, int written,
            java.util.function.LongFunction<SpillFolder> spill, java.util.function.BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
        this.log = log;
        this.written = written;
        this.events = events;
        this.projectId = projectId;
        this.taskId = taskId;
        this.pending = new PendingLines(spill, taskId);
        // Longest first, so a secret containing another is masked whole.
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 3)
                .sorted((a, b) -> b.length() - a.length()).toList();
        this.flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        flusher.scheduleWithFixedDelay(this::flushOrKeep, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void mask(String secret) {
        List<String> more = new ArrayList<>(secrets);
        more.add(secret);
        more.sort((a, b) -> b.length() - a.length());
        secrets = List.copyOf(more);
    }

    /** {@code text} with every secret of the list replaced by ***. */
    static String mask(String text, List<String> secrets) {
        return dev.semaphore.task.job.JobOutput.mask(text, secrets);
    }

    @Override
    public void line(String text) {
        String masked = text;
        for (String secret : secrets) { // already longest first, each at least 3 characters
            masked = masked.replace(secret, "***");
        }
        boolean flushNow;
        synchronized (this) {
            pending.add(Instant.now(), masked);
            // The first line goes out at once: whoever started the task sees it began without waiting a tick.
            flushNow = (pending.size() >= BATCH && !failing) || !sentFirst;
            sentFirst = true;
        }
        if (flushNow) {
            flushOrKeep();
        }
    }

    /** Writes what waits unless another write is under way; if the database refuses, the lines stay for the next try. */
    private void flushOrKeep() {
        if (!writer.tryLock()) {
            return;
        }
        try {
            flush();
            if (failing) {
                failing = false;
                LOG.info("task {}: the database answers again; its output is written", taskId);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                // The root cause only: the statement's text would copy the task's output into the server log.
                Throwable cause = e;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                LOG.warn("task {}: {} output lines not written yet, kept until the database takes them: {}", taskId,
                        pendingCount(), cause.getMessage());
            }
            failing = true;
        } finally {
            writer.unlock();
        }
    }

    private synchronized int pendingCount() {
        return pending.size();
    }

    @Override
    public synchronized int nextLine() {
        return written + pending.size() + 1;
    }

    /** Writes what waits, or throws leaving it waiting (a line is never dropped). */
    @Override
    public void flush() {
        writer.lock();
        try {
            while (true) {
                List<PendingLines.Line> batch;
                int first;
                synchronized (this) {
                    batch = pending.first(BATCH);
                    first = written + 1;
                }
                if (batch.isEmpty()) {
                    return;
                }
                List<Instant> t = batch.stream().map(PendingLines.Line::time).toList();
                List<String> x = batch.stream().map(PendingLines.Line::text).toList();
                first = store(first, t, x);
                synchronized (this) {
                    pending.drop(batch.size());
                    written = first - 1 + batch.size();
                }
                // Handed over in the order stored; told on another thread, so that a slow listener (a websocket)
                // never holds up reading the process's output.
                publisher.execute(() -> events.output(projectId, taskId, t, x));
            }
        } finally {
            writer.unlock();
        }
    }

    /**
     * Stores lines from {@code first} on; returns where they went. When the insert fails but the database
     * answers, either it had stored them (its answer was lost with the connection), or someone else wrote
     * lines of this task meanwhile (a server that took this one for dead said why it failed the task): then
     * these go after those.
     */
    private int store(int first, List<Instant> t, List<String> x) {
        try {
            log.append(taskId, first, t, x);
            return first;
        } catch (RuntimeException e) {
            if (log.holds(taskId, first, t, x)) {
                return first;
            }
            int next = log.nextLine(taskId);
            if (next <= first) {
                throw e;
            }
            log.append(taskId, next, t, x);
            return next;
        }
    }

    /** Writes what waits, trying again while the database does not answer, unless the server is stopping. */
    private void flushOnceWritable() {
        UntilAnswered.run(LOG, "write " + pendingCount() + " output lines of task " + taskId, shuttingDown, () -> {
            flush();
            return null;
        });
    }

    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flushOnceWritable();
        } finally {
            synchronized (this) {
                pending.close();
            }
            publisher.shutdown();
            try {
                publisher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
