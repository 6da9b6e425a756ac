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
 * 100 ms, or sooner when 1,000 lines wait. {@link #close} writes what is left; nothing is dropped.
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
    private List<Instant> times = new ArrayList<>();
    private List<String> texts = new ArrayList<>();
    private int written;
    private boolean sentFirst;

    private final java.util.function.BooleanSupplier shuttingDown;

    /**
     * @param written lines the task's log already holds (notes written when it was queued)
     * @param shuttingDown whether the server is stopping: lines not written by then are given up
     */
    LogSink(TaskLog log, TaskEvents events, long projectId, long taskId, List<String> secrets, int written,
            java.util.function.BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
        this.log = log;
        this.written = written;
        this.events = events;
        this.projectId = projectId;
        this.taskId = taskId;
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
            times.add(Instant.now());
            texts.add(masked);
            // The first line goes out at once: whoever started the task sees it began without waiting a tick.
            flushNow = texts.size() >= BATCH || !sentFirst;
            sentFirst = true;
        }
        if (flushNow) {
            flushOrKeep();
        }
    }

    /** Writes what waits; if the database refuses, the lines stay here for the next try. */
    private void flushOrKeep() {
        try {
            flush();
        } catch (RuntimeException e) {
            // The root cause only: the statement's text would copy the task's output into the server log.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            LOG.warn("task {}: {} output lines not written yet, kept for the next try: {}", taskId, pending(),
                    cause.getMessage());
        }
    }

    private synchronized int pending() {
        return texts.size();
    }

    @Override
    public synchronized int nextLine() {
        return written + texts.size() + 1;
    }

    /** Writes what waits, or throws leaving it waiting (a line is never dropped). */
    @Override
    public synchronized void flush() {
        if (texts.isEmpty()) {
            return;
        }
        List<Instant> t = times;
        List<String> x = texts;
        log.append(taskId, written + 1, t, x);
        times = new ArrayList<>();
        texts = new ArrayList<>();
        written += x.size();
        // Handed over inside the lock, so batches are told in the order they were stored; told outside it,
        // so a slow listener (a websocket) never holds up reading the process's output.
        publisher.execute(() -> events.output(projectId, taskId, t, x));
    }

    /** Writes what waits, trying again while the database does not answer, unless the server is stopping. */
    private void flushOnceWritable() {
        UntilAnswered.run(LOG, "write " + pending() + " output lines of task " + taskId, shuttingDown, () -> {
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
            publisher.shutdown();
            try {
                publisher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
