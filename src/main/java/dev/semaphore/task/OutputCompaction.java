package dev.semaphore.task;

import dev.semaphore.db.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished task's output from the plain chunks it was written in ({@code task_output}, up to
 * a thousand lines each, readable while the task runs) into large zstd-compressed chunks
 * ({@code task_output_packed}). Each new chunk goes in, and the rows it replaces out, in one short
 * transaction, so a reader always finds every line exactly once and writers never wait long. A task
 * is compacted right after it ends on this process; a sweep every few minutes takes the rest (tasks
 * ended by another process or an earlier version, imported ones, a compaction cut short by a stop).
 * Two processes compacting one task collide on the new chunk's key; the one that finds the lines
 * moved goes on from there.
 */
public final class OutputCompaction implements TaskEvents.Listener, AutoCloseable {
    /** Lines per compacted chunk: big enough to compress well, small enough to page through quickly. */
    static final int CHUNK_LINES = 5_000;
    static final int CHUNK_CHARS = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(OutputCompaction.class);

    private final Database db;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("output-compaction").factory());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("output-compaction-sweep").factory());

    public OutputCompaction(Database db) {
        this.db = db;
    }

    public void start() {
        timer.scheduleWithFixedDelay(() -> worker.execute(this::sweepQuietly), 1, 5, TimeUnit.MINUTES);
    }

    @Override
    public void statusChanged(Task task) {
        if (TaskStatus.known(task.status()) && TaskStatus.of(task.status()).finished()) {
            worker.execute(() -> {
                try {
                    compact(task.id());
                } catch (RuntimeException e) {
                    LOG.debug("compacting the output of task {} is left to the sweep: {}", task.id(), e.toString());
                }
            });
        }
    }

    /** Compacts every finished task that still has plain output; answers how many tasks it compacted. */
    public int sweep() {
        int done = 0;
        while (true) {
            List<Long> tasks = db.read(h -> h.createQuery("SELECT DISTINCT o.task_id FROM task_output o"
                    + " JOIN tasks t ON t.id = o.task_id WHERE t.status IN (<ended>) ORDER BY o.task_id LIMIT 100")
                    .bindList("ended", TaskStatus.FINISHED.stream().map(TaskStatus::wire).toList()).mapTo(Long.class).list());
            if (tasks.isEmpty()) {
                return done;
            }
            for (long task : tasks) {
                compact(task);
                done++;
            }
        }
    }

    /** Compacts one task's plain output, chunk by chunk; answers how many compressed chunks it wrote. */
    public int compact(long taskId) {
        int written = 0;
        while (true) {
            List<TaskLog.Chunk> plain = nextPlainChunks(taskId);
            if (plain.isEmpty()) {
                return written;
            }
            StringBuilder text = new StringBuilder();
            int lines = 0;
            for (TaskLog.Chunk chunk : plain) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(chunk.content());
                lines += chunk.lineCount();
            }
            int first = plain.getFirst().first();
            int last = plain.getLast().first();
            int count = lines;
            byte[] packed = OutputCompression.pack(text.toString());
            try {
                db.txRun(h -> {
                    h.createUpdate("INSERT INTO task_output_packed (task_id, first_line, line_count, content)"
                            + " VALUES (:t, :first, :count, :content)").bind("t", taskId).bind("first", first)
                            .bind("count", count).bind("content", packed).execute();
                    int removed = h.createUpdate("DELETE FROM task_output WHERE task_id = :t AND first_line >= :first"
                            + " AND first_line <= :last").bind("t", taskId).bind("first", first).bind("last", last)
                            .execute();
                    if (removed != plain.size()) {
                        throw new IllegalStateException("the output of task " + taskId + " changed while compacted");
                    }
                });
            } catch (RuntimeException e) {
                if (stillPlain(taskId, first)) {
                    throw e;
                }
                continue; // another process moved these lines first
            }
            written++;
        }
    }

    private boolean stillPlain(long taskId, int firstLine) {
        return db.read(h -> h.createQuery("SELECT COUNT(*) FROM task_output WHERE task_id = :t AND first_line = :f")
                .bind("t", taskId).bind("f", firstLine).mapTo(Integer.class).one()) > 0;
    }

    /** The task's first plain chunks, in order, that together hold up to a compacted chunk's worth. */
    private List<TaskLog.Chunk> nextPlainChunks(long taskId) {
        return db.read(h -> {
            List<TaskLog.Chunk> chunks = new ArrayList<>();
            int lines = 0;
            int chars = 0;
            try (var rows = h.createQuery("SELECT first_line, line_count, content FROM task_output WHERE task_id = :t"
                    + " ORDER BY first_line").bind("t", taskId).setFetchSize(64)
                    .map((rs, ctx) -> new TaskLog.Chunk(rs.getInt("first_line"), rs.getInt("line_count"),
                            rs.getString("content"))).stream()) {
                var it = rows.iterator();
                while (it.hasNext() && lines < CHUNK_LINES && chars < CHUNK_CHARS) {
                    TaskLog.Chunk chunk = it.next();
                    if (!chunks.isEmpty() && chunk.first() != chunks.getLast().first() + chunks.getLast().lineCount()) {
                        break; // a gap: the lines after it start a chunk of their own
                    }
                    chunks.add(chunk);
                    lines += chunk.lineCount();
                    chars += chunk.content().length();
                }
            }
            return chunks;
        });
    }

    private void sweepQuietly() {
        try {
            int tasks = sweep();
            if (tasks > 0) {
                LOG.info("compacted the output of {} finished task(s)", tasks);
            }
        } catch (RuntimeException e) {
            LOG.warn("compacting task output failed, trying again later: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        worker.shutdownNow();
    }
}
