package dev.semaphore.task;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.time.Instant;
import dev.semaphore.template.TemplateRuns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for tasks. */
public final class TaskStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaskStore.class);
    private static final String SELECT = """
            SELECT t.id, t.template_id, t.project_id, t.status, t.user_id, t.message, t.playbook, t.environment,
                   t.arguments, t.git_branch, t.params, t.commit_hash, t.commit_message, t.created, t.start_time,
                   t.end_time, t.version, t.build_task_id, t.inventory_id, t.schedule_id, t.integration_id,
                   t.runner_id, t.waiting_reason, tp.name AS tpl_alias, tp.app AS tpl_app, tp.playbook AS tpl_playbook,
                   tp.type AS tpl_type, u.username AS user_name, b.template_id AS build_template_id,
                   b.status AS build_status, b.version AS build_version
            FROM tasks t
            LEFT JOIN templates tp ON tp.id = t.template_id
            LEFT JOIN users u ON u.id = t.user_id
            LEFT JOIN tasks b ON b.id = t.build_task_id
            """;

    public Optional<Task> find(Handle h, long projectId, long id) {
        return h.createQuery(SELECT + " WHERE t.project_id = :p AND t.id = :id")
                .bind("p", projectId).bind("id", id).map(TaskStore::map).findOne();
    }

    public Optional<Task> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE t.id = :id").bind("id", id).map(TaskStore::map).findOne();
    }

    /** Which of a project's tasks a list shows, newest first. */
    /** @param before only tasks of lower ids (keyset paging), or null */
    record Filter(Long templateId, String status, Long userId, int offset, int limit, Long before) {
        static Filter ofTemplate(Long templateId, int limit) {
            return new Filter(templateId, null, null, 0, limit, null);
        }

        Filter withLimit(int more) {
            return new Filter(templateId, status, userId, offset, more, before);
        }
    }

    List<Task> ofProject(Handle h, long projectId, Filter f) {
        var query = h.createQuery(SELECT + " WHERE t.project_id = :p"
                + (f.templateId() == null ? "" : " AND t.template_id = :t")
                + (f.status() == null ? "" : " AND t.status = :s")
                + (f.userId() == null ? "" : " AND t.user_id = :u")
                + (f.before() == null ? "" : " AND t.id < :before")
                + " ORDER BY t.id DESC LIMIT " + f.limit() + " OFFSET " + f.offset()).bind("p", projectId);
        if (f.before() != null) {
            query.bind("before", f.before());
        }
        if (f.templateId() != null) {
            query.bind("t", f.templateId());
        }
        if (f.status() != null) {
            query.bind("s", f.status());
        }
        if (f.userId() != null) {
            query.bind("u", f.userId());
        }
        return query.map(TaskStore::map).list();
    }

    public List<Task> withStatus(Handle h, TaskStatus status) {
        return h.createQuery(SELECT + " WHERE t.status = :s ORDER BY t.id").bind("s", status.wire())
                .map(TaskStore::map).list();
    }

    public int countWithStatus(Handle h, TaskStatus status) {
        return h.createQuery("SELECT COUNT(*) FROM tasks WHERE status = :s").bind("s", status.wire())
                .mapTo(Integer.class).one();
    }

    public List<Task> active(Handle h) {
        return h.createQuery(SELECT + " WHERE t.status IN (<statuses>) ORDER BY t.id")
                .bindList("statuses", wire(TaskStatus.ACTIVE)).map(TaskStore::map).list();
    }

    static List<String> wire(java.util.Set<TaskStatus> statuses) {
        return statuses.stream().map(TaskStatus::wire).toList();
    }

    /** Every task not yet finished, across projects, as the admin's queue lists them. */
    List<java.util.Map<String, Object>> unfinished(Handle h) {
        return h.createQuery("""
                        SELECT t.id, t.project_id, t.status, u.username, p.name AS project_name FROM tasks t
                        JOIN projects p ON p.id = t.project_id LEFT JOIN users u ON u.id = t.user_id
                        WHERE t.status NOT IN (<done>) ORDER BY t.id""")
                .bindList("done", wire(TaskStatus.FINISHED))
                .map((rs, ctx) -> {
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("task_id", rs.getLong("id"));
                    row.put("project_id", rs.getLong("project_id"));
                    row.put("username", rs.getString("username"));
                    row.put("runner_id", null);
                    row.put("status", rs.getString("status"));
                    row.put("location", TaskStatus.WAITING.wire().equals(rs.getString("status")) ? "queue" : "running");
                    row.put("runner_name", null);
                    row.put("project_name", rs.getString("project_name"));
                    return row;
                })
                .list();
    }

    /** A project's own limit of tasks running at once (0: none). */
    public int projectLimit(Handle h, long projectId) {
        return h.createQuery("SELECT max_parallel_tasks FROM projects WHERE id = :p")
                .bind("p", projectId).mapTo(Integer.class).findOne().orElse(0);
    }

    /** The version of the template's latest build task, if any. */
    java.util.Optional<String> lastVersion(Handle h, long templateId) {
        return h.createQuery("SELECT version FROM tasks WHERE template_id = :t AND version IS NOT NULL"
                        + " ORDER BY id DESC LIMIT 1")
                .bind("t", templateId).mapTo(String.class).findOne();
    }

    long insert(Handle h, NewTask t) {
        return h.createUpdate("""
                        INSERT INTO tasks (project_id, template_id, status, user_id, message, environment, arguments,
                                           git_branch, params, created, version, build_task_id, playbook, inventory_id,
                                           secret, commit_hash, schedule_id, integration_id)
                        VALUES (:p, :t, :status, :user, :message, :environment, :arguments, :branch, :params, :created,
                                :version, :build, :playbook, :inventory, :secret, :commit, :schedule, :integration)""")
                .bind("schedule", t.scheduleId()).bind("integration", t.integrationId())
                .bind("commit", t.commitHash())
                .bind("secret", t.sealedSecret())
                .bind("p", t.projectId()).bind("t", t.templateId()).bind("status", TaskStatus.WAITING.wire())
                .bind("user", t.userId()).bind("message", t.message()).bind("environment", t.environment())
                .bind("arguments", t.arguments()).bind("branch", t.gitBranch()).bind("params", t.params())
                .bind("created", Times.now()).bind("version", t.version()).bind("build", t.buildTaskId())
                .bind("playbook", t.playbook() == null ? "" : t.playbook()).bind("inventory", t.inventoryId())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** What a new task row holds. */
    record NewTask(long projectId, long templateId, Long userId, String message, String environment, String arguments,
                   String gitBranch, String params, String version, Long buildTaskId, String playbook,
                   Long inventoryId, String sealedSecret, String commitHash, Long scheduleId, Long integrationId) {
    }

    /**
     * The only status write: moves a task from {@code from} to {@code to} if the transition table
     * lets {@code cause} do it and the task is still in {@code from}; a start or end time, when
     * given, is set with it. An illegal move is logged and not applied. False when nothing moved.
     */
    public boolean move(Handle h, long id, TaskStatus from, TaskStatus to, TaskStatus.Cause cause, Instant start,
                 Instant end) {
        if (!from.mayBecome(to, cause)) {
            LOG.warn("task {}: refused the move {} -> {} by {}", id, from, to, cause);
            return false;
        }
        return h.createUpdate("UPDATE tasks SET status = :to, start_time = COALESCE(:start, start_time),"
                        + " end_time = COALESCE(:end, end_time) WHERE id = :id AND status = :from")
                .bind("id", id).bind("from", from.wire()).bind("to", to.wire()).bind("start", start)
                .bind("end", end).execute() == 1;
    }

    public boolean move(Handle h, long id, TaskStatus from, TaskStatus to, TaskStatus.Cause cause) {
        return move(h, id, from, to, cause, null, null);
    }

    /**
     * Begins a claimed task: starting becomes running, only while {@code owner} still holds the claim (a process
     * cut from the database may have lost it to another meanwhile; then the task is not begun here).
     */
    public boolean begin(Handle h, long id, String owner, Instant start) {
        return h.createUpdate("UPDATE tasks SET status = :to, start_time = :start WHERE id = :id AND status = :from"
                        + " AND owner = :owner")
                .bind("id", id).bind("owner", owner).bind("from", TaskStatus.STARTING.wire())
                .bind("to", TaskStatus.RUNNING.wire()).bind("start", start).execute() == 1;
    }

    /** Which of these tasks {@code owner} still holds (the others another process took, or were deleted). */
    public java.util.Set<Long> heldBy(Handle h, String owner, java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(h.createQuery("SELECT id FROM tasks WHERE owner = :owner AND id IN (<ids>)")
                .bind("owner", owner).bindList("ids", List.copyOf(ids)).mapTo(Long.class).list());
    }

    /** Names the server process that runs the task; true so it can follow a move in one condition. */
    public boolean setOwner(Handle h, long id, String owner) {
        h.createUpdate("UPDATE tasks SET owner = :owner WHERE id = :id").bind("id", id).bind("owner", owner).execute();
        return true;
    }

    /** Gives the task to a remote runner (or takes it back: null); true so it can follow a move in one condition. */
    public boolean setRunner(Handle h, long id, Long runnerId) {
        h.createUpdate("UPDATE tasks SET runner_id = :r, waiting_reason = NULL WHERE id = :id").bind("id", id)
                .bind("r", runnerId).execute();
        return true;
    }

    /** Says why a queued task waits; true when that is news. */
    public boolean setWaitingReason(Handle h, long id, String reason) {
        return h.createUpdate("UPDATE tasks SET waiting_reason = :r WHERE id = :id AND status = 'waiting'"
                        + " AND (waiting_reason IS NULL OR waiting_reason <> :r)")
                .bind("id", id).bind("r", reason).execute() > 0;
    }

    /** The active tasks given to these runners. */
    public List<Task> ofRunners(Handle h, java.util.Collection<Long> runnerIds) {
        if (runnerIds.isEmpty()) {
            return List.of();
        }
        return h.createQuery(SELECT + " WHERE t.runner_id IN (<runners>) AND t.status IN (<statuses>) ORDER BY t.id")
                .bindList("runners", List.copyOf(runnerIds)).bindList("statuses", wire(TaskStatus.ACTIVE))
                .map(TaskStore::map).list();
    }

    /**
     * Whether a task may start now under the limits, counted across every server process: taken inside
     * the claiming transaction after {@link #lockDispatch}, so no two processes count the same slot.
     */
    public boolean withinLimits(Handle h, Task task, int maxParallel, int projectLimit, boolean templateParallel) {
        List<String> active = wire(TaskStatus.ACTIVE);
        if (maxParallel > 0 && h.createQuery("SELECT COUNT(*) FROM tasks WHERE runner_id IS NULL AND status IN (<s>)")
                .bindList("s", active).mapTo(Long.class).one() >= maxParallel) {
            return false;
        }
        if (projectLimit > 0 && h.createQuery("SELECT COUNT(*) FROM tasks WHERE project_id = :p AND status IN (<s>)")
                .bind("p", task.projectId()).bindList("s", active).mapTo(Long.class).one() >= projectLimit) {
            return false;
        }
        return templateParallel || h.createQuery("SELECT COUNT(*) FROM tasks WHERE template_id = :t AND status IN (<s>)")
                .bind("t", task.templateId()).bindList("s", active).mapTo(Long.class).one() == 0;
    }

    /** Makes claims one at a time across server processes (SQLite has one process and one writer anyway). */
    public void lockDispatch(Handle h, dev.semaphore.db.Dialect dialect) {
        if (dialect != dev.semaphore.db.Dialect.SQLITE) {
            h.createQuery("SELECT version FROM cluster_signals WHERE name = 'dispatch' FOR UPDATE")
                    .mapTo(Long.class).findOne();
        }
    }

    /** The owners of the active tasks that have one, by task id. */
    public java.util.Map<Long, String> activeOwners(Handle h) {
        java.util.Map<Long, String> owners = new java.util.HashMap<>();
        h.createQuery("SELECT id, owner FROM tasks WHERE owner IS NOT NULL AND status IN (<statuses>)")
                .bindList("statuses", wire(TaskStatus.ACTIVE))
                .map((rs, ctx) -> java.util.Map.entry(rs.getLong("id"), rs.getString("owner")))
                .forEach(e -> owners.put(e.getKey(), e.getValue()));
        return owners;
    }

    /** A request written to a running task's row for the process that runs it. */
    public record Request(long taskId, TaskStatus status) {
    }

    /** The stop, confirm and reject requests waiting for the tasks this process runs. */
    public List<Request> requestsFor(Handle h, String owner) {
        return h.createQuery("SELECT id, status FROM tasks WHERE owner = :owner AND status IN (<statuses>)")
                .bind("owner", owner)
                .bindList("statuses", wire(java.util.EnumSet.of(TaskStatus.STOPPING, TaskStatus.STOPPED,
                        TaskStatus.CONFIRMED, TaskStatus.REJECTED)))
                .map((rs, ctx) -> new Request(rs.getLong("id"), TaskStatus.of(rs.getString("status"))))
                .list();
    }

    /** The task's status now, read inside the caller's transaction. */
    public Optional<TaskStatus> status(Handle h, long id) {
        return h.createQuery("SELECT status FROM tasks WHERE id = :id").bind("id", id).mapTo(String.class)
                .findOne().map(TaskStatus::of);
    }

    /** The sealed secret survey values of a task, if it has any. */
    public Optional<String> secret(Handle h, long id) {
        return h.createQuery("SELECT secret FROM tasks WHERE id = :id").bind("id", id).mapTo(String.class)
                .findOne().filter(s -> !s.isEmpty());
    }

    public void setSecret(Handle h, long id, String sealed) {
        h.createUpdate("UPDATE tasks SET secret = :s WHERE id = :id").bind("id", id).bind("s", sealed).execute();
    }

    /**
     * The process a task runs now (null, null, null when none), and where all its processes are (its
     * cgroup or process groups), to find them again after a crash.
     */
    public void setProcess(Handle h, long id, Long pid, String started, String group) {
        h.createUpdate("UPDATE tasks SET pid = :pid, pid_started = :started, process_group = :group WHERE id = :id")
                .bind("id", id).bind("pid", pid).bind("started", started).bind("group", group).execute();
    }

    /** A process recorded for a task: its pid and start time as the OS reported them, and its processes' group. */
    public record TaskProcess(long pid, String started, String group) {
    }

    public Optional<TaskProcess> process(Handle h, long id) {
        return h.createQuery("SELECT pid, pid_started, process_group FROM tasks WHERE id = :id AND pid IS NOT NULL")
                .bind("id", id).map((rs, ctx) -> new TaskProcess(rs.getLong("pid"), rs.getString("pid_started"),
                        rs.getString("process_group")))
                .findOne();
    }

    public void setCommit(Handle h, long id, String hash, String message) {
        h.createUpdate("UPDATE tasks SET commit_hash = :hash, commit_message = :message WHERE id = :id")
                .bind("id", id).bind("hash", hash).bind("message", message).execute();
    }

    /** Finished tasks of a template beyond the newest {@code keep}. */
    List<Long> finishedBeyond(Handle h, long templateId, int keep) {
        List<Long> finished = h.createQuery("SELECT id FROM tasks WHERE template_id = :t AND status IN (<done>)"
                        + " ORDER BY id DESC")
                .bind("t", templateId).bindList("done", wire(TaskStatus.FINISHED)).mapTo(Long.class).list();
        return finished.size() <= keep ? List.of() : finished.subList(keep, finished.size());
    }

    /** A task to delete and the project it belongs to. */
    record Expired(long id, long projectId) {
    }

    /**
     * Finished tasks that ended before {@code cutoff}, the oldest first, at most {@code limit}: of
     * {@code project}, or (null) of every project without a retention of its own.
     */
    List<Expired> finishedBefore(Handle h, Long project, Instant cutoff, int limit) {
        return h.createQuery("SELECT id, project_id FROM tasks WHERE status IN (<done>)"
                        + " AND COALESCE(end_time, created) < :cutoff AND "
                        + (project == null ? "project_id IN (SELECT id FROM projects WHERE task_retention_days = 0)"
                        : "project_id = :project") + " ORDER BY id LIMIT " + limit)
                .bindList("done", wire(TaskStatus.FINISHED)).bind("cutoff", cutoff).bind("project", project)
                .map((rs, ctx) -> new Expired(rs.getLong("id"), rs.getLong("project_id"))).list();
    }

    /** The projects with a retention of their own: project id to days. */
    Map<Long, Integer> projectRetentions(Handle h) {
        Map<Long, Integer> days = new java.util.TreeMap<>();
        h.createQuery("SELECT id, task_retention_days FROM projects WHERE task_retention_days > 0")
                .map((rs, ctx) -> Map.entry(rs.getLong("id"), rs.getInt("task_retention_days")))
                .forEach(e -> days.put(e.getKey(), e.getValue()));
        return days;
    }

    /** The project's own {@code max_tasks_per_template}; 0: the server's. */
    int projectKeepPerTemplate(Handle h, long projectId) {
        return h.createQuery("SELECT max_tasks_per_template FROM projects WHERE id = :p").bind("p", projectId)
                .mapTo(Integer.class).findOne().orElse(0);
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM task_output WHERE task_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM task_output_packed WHERE task_id = :id").bind("id", id).execute();
        TaskStages.delete(h, id);
        h.createUpdate("DELETE FROM tasks WHERE id = :id").bind("id", id).execute();
    }

    private static Task map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Task(rs.getLong("id"), rs.getLong("template_id"), rs.getLong("project_id"), rs.getString("status"),
                Rows.nullableLong(rs, "user_id"), rs.getString("message"), rs.getString("playbook"),
                rs.getString("environment"), rs.getString("arguments"), rs.getString("git_branch"),
                rs.getString("params"), rs.getString("commit_hash"), rs.getString("commit_message"),
                Rows.instant(rs, "created", ctx), Rows.instant(rs, "start_time", ctx), Rows.instant(rs, "end_time", ctx),
                rs.getString("version"), Rows.nullableLong(rs, "build_task_id"), Rows.nullableLong(rs, "inventory_id"),
                Rows.nullableLong(rs, "schedule_id"), Rows.nullableLong(rs, "integration_id"),
                rs.getString("tpl_alias"), rs.getString("tpl_app"), rs.getString("tpl_playbook"),
                rs.getString("tpl_type"), rs.getString("user_name"), Rows.nullableLong(rs, "runner_id"),
                rs.getString("build_status") == null ? null : new Task.BuildTask(rs.getLong("build_task_id"),
                        rs.getLong("build_template_id"), rs.getString("build_status"), rs.getString("build_version")),
                rs.getString("waiting_reason"));
    }

    /** Each template's run count and latest task, in two queries for the whole project. */
    public Map<Long, TemplateRuns.Runs> runsPerTemplate(Handle h, long projectId) {
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Long> latest = new HashMap<>();
        h.createQuery("SELECT template_id, COUNT(*) AS n, MAX(id) AS last FROM tasks WHERE project_id = :p"
                        + " GROUP BY template_id")
                .bind("p", projectId)
                .map((rs, ctx) -> {
                    counts.put(rs.getLong("template_id"), rs.getInt("n"));
                    latest.put(rs.getLong("template_id"), rs.getLong("last"));
                    return null;
                })
                .list();
        Map<Long, LastTask> last = new HashMap<>();
        if (!latest.isEmpty()) {
            h.createQuery("""
                            SELECT t.id, t.template_id, t.status, t.created, t.start_time, t.end_time, t.message,
                                   t.version, t.commit_hash, u.username
                            FROM tasks t LEFT JOIN users u ON u.id = t.user_id WHERE t.id IN (<ids>)""")
                    .bindList("ids", List.copyOf(latest.values()))
                    .map((rs, ctx) -> new LastTask(rs.getLong("id"), rs.getLong("template_id"), rs.getString("status"),
                            Rows.instant(rs, "created", ctx), Rows.instant(rs, "start_time", ctx),
                            Rows.instant(rs, "end_time", ctx), rs.getString("message"), rs.getString("version"),
                            rs.getString("commit_hash"), rs.getString("username")))
                    .forEach(task -> last.put(task.templateId(), task));
        }
        Map<Long, TemplateRuns.Runs> runs = new HashMap<>();
        counts.forEach((template, count) -> runs.put(template, new TemplateRuns.Runs(count, last.get(template))));
        return runs;
    }

    /** A template's latest task, as the template list shows it. */
    record LastTask(long id, long templateId, String status, Instant created, Instant start, Instant end,
                    String message, String version, String commitHash, String userName) {
    }
}
