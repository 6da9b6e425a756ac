package dev.semaphore.schedule;

import dev.semaphore.common.ApiException;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.task.TaskService;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.User;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** Schedules: cron and one-time runs of a template, kept per project, each task queued through {@link TaskService}. */
public final class ScheduleService {
    private final Database db;
    private final EventLog events;
    private final TemplateService templates;
    private final RepositoryService repositories;
    private final TaskService tasks;
    private final ZoneId serverZone;
    private final Clock clock;
    private final ScheduleStore store = new ScheduleStore();

    /** @param serverZone schedule.timezone: where a schedule without its own zone is read */
    public ScheduleService(Database db, EventLog events, TemplateService templates, RepositoryService repositories,
                           TaskService tasks, References references, ZoneId serverZone, Clock clock) {
        this.db = db;
        this.events = events;
        this.templates = templates;
        this.repositories = repositories;
        this.tasks = tasks;
        this.serverZone = serverZone;
        this.clock = clock;
        references.register(References.Target.REPOSITORY, "schedules", store::usingRepository);
    }

    public List<Schedule> list(long projectId) {
        return db.read(h -> store.ofProject(h, projectId, null)).stream().map(this::described).toList();
    }

    List<Schedule> ofTemplate(long projectId, long templateId) {
        templates.get(projectId, templateId);
        return db.read(h -> store.ofProject(h, projectId, templateId)).stream().map(this::described).toList();
    }

    Schedule get(long projectId, long id) {
        return described(db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id)));
    }

    /** Creates from a request as the API takes it (for restoring a backup). */
    public Schedule create(User actor, long projectId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return create(actor, projectId, ScheduleInput.parse(dev.semaphore.common.JsonBody.of(body), body));
    }

    Schedule create(User actor, long projectId, ScheduleInput input) {
        check(projectId, input, null);
        Instant next = firstRun(input);
        return db.tx(h -> {
            long id = store.insert(h, projectId, input, next, clock.instant());
            events.record(h, actor.id(), projectId, ObjectType.SCHEDULE, id, input.name(),
                    "Schedule " + label(input.name(), id) + " created");
            return described(store.find(h, projectId, id).orElseThrow());
        });
    }

    /** Updates from a request as the API takes it (for restoring a backup into a project). */
    public void update(User actor, long projectId, long id, com.fasterxml.jackson.databind.node.ObjectNode body) {
        update(actor, projectId, id, ScheduleInput.parse(dev.semaphore.common.JsonBody.of(body), body));
    }

    void update(User actor, long projectId, long id, ScheduleInput input) {
        check(projectId, input, db.read(h -> store.find(h, projectId, id)).map(Schedule::runAt).orElse(null));
        Instant next = firstRun(input);
        db.txRun(h -> {
            Schedule current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.update(h, id, input, next, !java.util.Objects.equals(current.repositoryId(), input.repositoryId()));
            events.record(h, actor.id(), projectId, ObjectType.SCHEDULE, id, input.name(),
                    "Schedule " + label(input.name(), id) + " updated");
        });
    }

    /**
     * Gives each active schedule without a due time (as an import writes them) its next one; one whose
     * timing cannot be read is switched off, and its last_error says why.
     * @return how many schedules were given a due time
     */
    public int scheduleUnscheduled() {
        return db.tx(h -> {
            int scheduled = 0;
            for (Schedule s : store.unscheduled(h)) {
                try {
                    store.setActive(h, s.id(), true, firstRun(ScheduleInput.of(s).activated()));
                    scheduled++;
                } catch (RuntimeException unreadable) {
                    store.switchOff(h, s.id(), "switched off: its timing cannot be read: " + unreadable.getMessage());
                }
            }
            return scheduled;
        });
    }

    void setActive(User actor, long projectId, long id, boolean active) {
        db.txRun(h -> {
            Schedule current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            Instant next = active ? firstRun(ScheduleInput.of(current).activated()) : null;
            store.setActive(h, id, active, next);
            events.record(h, actor.id(), projectId, ObjectType.SCHEDULE, id, current.name(),
                    "Schedule " + label(current.name(), id) + (active ? " activated" : " deactivated"));
        });
    }

    void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            Schedule current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.SCHEDULE, id, current.name(),
                    "Schedule " + label(current.name(), id) + " deleted");
        });
    }

    /** Where a schedule's cron times are read: its own zone, else the server's. */
    ZoneId zoneOf(String timezone) {
        return timezone == null || timezone.isEmpty() ? serverZone : ZoneId.of(timezone);
    }

    /** @param storedRunAt the schedule's one-time run as stored (an update may keep it, past or not), or null */
    private void check(long projectId, ScheduleInput input, Instant storedRunAt) {
        // As upstream: an active one-time schedule in the past would never run. One that ran (inactive, as a
        // backup has it) or whose time an update leaves as it was is kept.
        if (input.runAt() != null && input.active() && input.runAt().isBefore(clock.instant())
                && !input.runAt().equals(storedRunAt)) {
            throw ApiException.badRequest("field 'run_at' is in the past: a one-time schedule must run later than now");
        }
        tasks.validateTaskParams(projectId, input.templateId(), input.taskParams());
        if (input.repositoryId() != null && !db.read(h -> repositories.exists(h, projectId, input.repositoryId()))) {
            throw ApiException.badRequest("field 'repository_id': repository " + input.repositoryId()
                    + " not found in this project");
        }
    }

    /** The first due time of an active schedule from now; null when inactive. */
    private Instant firstRun(ScheduleInput input) {
        if (!input.active()) {
            return null;
        }
        if (input.type().equals(Schedule.RUN_AT)) {
            return input.runAt();
        }
        return ScheduleInput.timing(input.cronFormat()).next(clock.instant(), zoneOf(input.timezone()));
    }

    private Schedule described(Schedule schedule) {
        if (schedule.oneTime()) {
            return schedule.described("once at " + schedule.runAt());
        }
        try {
            return schedule.described(CronTiming.parse(schedule.cronFormat()).describe());
        } catch (RuntimeException unreadable) {
            return schedule.described(null);
        }
    }

    static String label(String name, long id) {
        return name == null || name.isEmpty() ? String.valueOf(id) : name;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("schedule " + id + " not found");
    }
}
