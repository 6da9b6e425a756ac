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
 * {@code task_retention_days}: finished tasks that ended longer ago than that are deleted with their
 * output, {@link #BATCH} at a time, each batch its own short transaction (writers wait for one batch at
 * most), a minute after the start and every ten minutes. Each batch says in the activity log of each
 * project how many of its tasks went. Any server process may sweep: deleting what is gone is harmless.
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
        if (days > 0) {
            timer.scheduleWithFixedDelay(() -> {
                try {
                    sweep();
                } catch (RuntimeException e) {
                    LOG.warn("deleting old tasks failed, trying again later: {}", e.getMessage());
                }
            }, 1, 10, TimeUnit.MINUTES);
        }
    }

    /** Deletes every finished task past the retention, batch by batch; answers how many went. */
    public int sweep() {
        if (days <= 0) {
            return 0;
        }
        java.time.Instant cutoff = clock.instant().minus(Duration.ofDays(days));
        int deleted = 0;
        while (true) {
            List<TaskStore.Expired> batch = db.read(h -> store.finishedBefore(h, cutoff, BATCH));
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
                perProject.forEach((project, count) -> events.record(h, null, project, ObjectType.TASK, null, null,
                        "Deleted " + count + " finished task(s) older than " + days + " days (task_retention_days)"));
            });
            deleted += batch.size();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
