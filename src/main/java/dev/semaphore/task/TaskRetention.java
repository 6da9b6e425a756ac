package dev.semaphore.task;

import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code task_retention_days}, the server's and each project's own: finished tasks that ended longer
 * ago than that are deleted with their output, {@link #BATCH} at a time, each batch its own short
 * transaction (writers wait for one batch at most), a minute after the start and every ten minutes.
 * Each batch says in the activity log of each project how many of its tasks went. Any server process
 * may sweep: deleting what is gone is harmless.
 */
public final class TaskRetention implements AutoCloseable {
    static final int BATCH = 200;
    private static final Logger LOG = LoggerFactory.getLogger(TaskRetention.class);

    private final Database db;
    private final EventLog events;
    private final int days;
    private final Clock clock;
    private final TaskStore store = new TaskStore();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("task-retention").factory());

    /** @param days how long finished tasks are kept (0: for ever) */
    public TaskRetention(Database db, EventLog events, int days, Clock clock) {
        this.db = db;
        this.events = events;
        this.days = days;
        this.clock = clock;
    }

    public void start() {
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn("deleting old tasks failed, trying again later: {}", e.getMessage());
            }
        }, 1, 10, TimeUnit.MINUTES);
    }

    /**
     * Deletes every finished task past its retention (its project's own, else the server's), batch by
     * batch; answers how many went.
     */
    public int sweep() {
        int deleted = days > 0 ? sweep(null, days, "task_retention_days") : 0;
        for (Map.Entry<Long, Integer> own : db.read(store::projectRetentions).entrySet()) {
            deleted += sweep(own.getKey(), own.getValue(), "the project's task_retention_days");
        }
        return deleted;
    }

    /** @param project one project, or null: those without a retention of their own */
    private int sweep(Long project, int keepDays, String setting) {
        java.time.Instant cutoff = clock.instant().minus(Duration.ofDays(keepDays));
        int deleted = 0;
        while (true) {
            List<TaskStore.Expired> batch = db.read(h -> store.finishedBefore(h, project, cutoff, BATCH));
            if (batch.isEmpty()) {
                return deleted;
            }
            Map<Long, Integer> perProject = new TreeMap<>();
            db.txRun(h -> {
                perProject.clear();
                for (TaskStore.Expired task : batch) {
                    store.delete(h, task.id());
                    perProject.merge(task.projectId(), 1, Integer::sum);
                }
                perProject.forEach((id, count) -> events.record(h, null, id, ObjectType.TASK, null, null,
                        "Deleted " + count + " finished task(s) older than " + keepDays + " days (" + setting + ")"));
            });
            deleted += batch.size();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
