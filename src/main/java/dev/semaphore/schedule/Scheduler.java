package dev.semaphore.schedule;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.execution.GitRemote;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskService;
import dev.semaphore.task.TaskTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the tasks of due schedules, once per due time however many server processes share the
 * database: a process takes a due time by moving the schedule's {@code next_run} from it to the next
 * one with a conditional update, and only the process whose update took queues the task. A due time
 * older than {@link #GRACE} passed while no server ran: it is counted and reported on the schedule,
 * never run late, never run twice.
 */
public final class Scheduler implements AutoCloseable {
    /** How late a due time may still run (a busy or just-restarted server). */
    static final Duration GRACE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int BATCH = 500;
    private static final int WORKERS = 8;

    private final Database db;
    private final EventLog events;
    private final ScheduleService schedules;
    private final RepositoryService repositories;
    private final TaskService tasks;
    private final Clock clock;
    private final ScheduleStore store = new ScheduleStore();
    private volatile boolean closed;
    private Thread loop;

    public Scheduler(Database db, EventLog events, ScheduleService schedules, RepositoryService repositories,
                     TaskService tasks, Clock clock) {
        this.db = db;
        this.events = events;
        this.schedules = schedules;
        this.repositories = repositories;
        this.tasks = tasks;
        this.clock = clock;
    }

    /** Looks for due schedules at the start of every second. */
    public void start() {
        loop = Thread.ofPlatform().daemon().name("scheduler").start(() -> {
            String lastFailure = null;
            while (!closed) {
                try {
                    Thread.sleep(1000 - System.currentTimeMillis() % 1000);
                    runDue();
                    if (lastFailure != null) {
                        LOG.info("scheduler: works again");
                    }
                    lastFailure = null;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // Told once while it fails the same way: a database outage fails every second of it.
                    if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                        LOG.warn("scheduler: {}", e.getMessage());
                    }
                    lastFailure = String.valueOf(e.getMessage());
                }
            }
        });
    }

    /**
     * Queues what is due now (by this scheduler's clock); returns how many tasks it queued. Several
     * schedules are handled at once (a commit check waits on a remote; a database serves several
     * writers), each due time still claimed by exactly one of them.
     */
    public int runDue() {
        java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
        List<Schedule> due;
        do {
            Instant now = clock.instant();
            due = db.read(h -> store.due(h, now, BATCH));
            try (var workers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(WORKERS);
                for (Schedule schedule : due) {
                    slots.acquireUninterruptibly();
                    workers.submit(() -> {
                        try {
                            if (fire(schedule, now)) {
                                queued.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("schedule {}: {}", schedule.id(), e.getMessage());
                        } finally {
                            slots.release();
                        }
                    });
                }
            }
        } while (due.size() == BATCH && !closed);
        return queued.get();
    }

    private boolean fire(Schedule schedule, Instant now) {
        Instant due = schedule.nextRun();
        boolean late = due.isBefore(now.minus(GRACE));
        Instant following;
        int missed = 0;
        String unreadable = null;
        try {
            following = schedule.oneTime() ? null : following(schedule, due, now, late);
            if (late) {
                missed = schedule.oneTime() ? 1 : countMissed(schedule, due, now);
            }
        } catch (RuntimeException e) {
            // Stored before a rule tightened, say: the schedule stops, saying why, rather than fail each second.
            following = null;
            unreadable = "the schedule stopped: its cron_format cannot be read: " + e.getMessage();
        }
        String error = unreadable != null ? unreadable
                : late ? missed + " due time(s) from " + due + " passed while no server was running"
                        + (following == null ? "" : "; the next is at " + following) : null;
        int missedRuns = missed;
        Instant next = following;
        boolean mine = db.tx(h -> {
            boolean taken = store.claim(h, schedule.id(), due, next, missedRuns, error);
            if (taken && missedRuns > 0) {
                events.record(h, null, schedule.projectId(), ObjectType.SCHEDULE, schedule.id(), schedule.name(),
                        "Schedule " + ScheduleService.label(schedule.name(), schedule.id()) + ": " + error);
            }
            return taken;
        });
        if (!mine || late || unreadable != null) {
            return false;
        }
        try {
            if (schedule.repositoryId() != null && !commitMoved(schedule)) {
                return false;
            }
            Task task = tasks.enqueue(schedule.projectId(), ScheduleInput.of(schedule).taskRequest(),
                    new TaskTrigger.BySchedule(schedule.id()));
            LOG.debug("schedule {} queued task {}", schedule.id(), task.id());
            if (schedule.oneTime() && schedule.deleteAfterRun()) {
                db.txRun(h -> {
                    store.delete(h, schedule.id());
                    events.record(h, null, schedule.projectId(), ObjectType.SCHEDULE, schedule.id(), schedule.name(),
                            "Schedule " + ScheduleService.label(schedule.name(), schedule.id())
                                    + " deleted after its run");
                });
            }
            return true;
        } catch (ApiException | GitRemote.GitException e) {
            db.txRun(h -> store.setError(h, schedule.id(), "no task was queued at " + due + ": " + e.getMessage()));
            return false;
        }
    }

    /** The first due time after {@code due}, or after now when {@code due} passed long ago. */
    private Instant following(Schedule schedule, Instant due, Instant now, boolean late) {
        ZoneId zone = schedules.zoneOf(schedule.timezone());
        return CronTiming.parse(schedule.cronFormat()).next(late ? now : due, zone);
    }

    /** How many due times lie between {@code due} and now (bounded: a schedule every second down for a year). */
    private int countMissed(Schedule schedule, Instant due, Instant now) {
        CronTiming timing = CronTiming.parse(schedule.cronFormat());
        ZoneId zone = schedules.zoneOf(schedule.timezone());
        int count = 1;
        for (Instant t = timing.next(due, zone); !t.isAfter(now) && count < 100_000; t = timing.next(t, zone)) {
            count++;
        }
        return count;
    }

    /**
     * A commit-triggered schedule runs only when its repository's branch moved since the commit it
     * last saw (kept in the database, so another process or a restart sees the same).
     */
    private boolean commitMoved(Schedule schedule) {
        String branch = ScheduleInput.branchOf(schedule.taskParams());
        Optional<String> head = repositories.headCommit(schedule.projectId(), schedule.repositoryId(), branch);
        if (head.isEmpty()) {
            throw ApiException.badRequest("the branch " + (branch == null ? "of the repository" : branch)
                    + " does not exist");
        }
        Optional<String> seen = db.read(h -> store.lastCommit(h, schedule.id()));
        if (seen.isPresent() && seen.get().equals(head.get())) {
            return false;
        }
        db.txRun(h -> store.setLastCommit(h, schedule.id(), head.get()));
        return true;
    }

    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
        }
    }
}
