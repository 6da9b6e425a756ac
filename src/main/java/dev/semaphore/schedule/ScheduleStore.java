package dev.semaphore.schedule;

import dev.semaphore.db.References;
import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for schedules. A due time is claimed by moving {@code next_run} from it, conditionally. */
final class ScheduleStore {
    private static final String COLUMNS = "s.id, s.project_id, s.template_id, s.name, s.type, s.cron_format, s.run_at,"
            + " s.delete_after_run, s.timezone, s.active, s.repository_id, s.task_params, s.next_run, s.last_run,"
            + " s.last_error, s.missed_runs, t.name AS tpl_name";
    private static final String FROM = " FROM schedules s JOIN templates t ON t.id = s.template_id";

    List<Schedule> ofProject(Handle h, long projectId, Long templateId) {
        return h.createQuery("SELECT " + COLUMNS + FROM + " WHERE s.project_id = :p"
                        + (templateId == null ? "" : " AND s.template_id = :t") + " ORDER BY s.name, s.id")
                .bind("p", projectId).bind("t", templateId).map(ScheduleStore::map).list();
    }

    Optional<Schedule> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + FROM + " WHERE s.project_id = :p AND s.id = :id")
                .bind("p", projectId).bind("id", id).map(ScheduleStore::map).findOne();
    }

    /** Active schedules without a due time (brought over from elsewhere). */
    List<Schedule> unscheduled(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + FROM + " WHERE s.active = :yes AND s.next_run IS NULL ORDER BY s.id")
                .bind("yes", true).map(ScheduleStore::map).list();
    }

    /** Active schedules due at {@code now}, earliest first. */
    List<Schedule> due(Handle h, Instant now, int limit) {
        return h.createQuery("SELECT " + COLUMNS + FROM + " WHERE s.active = :yes AND s.next_run <= :now"
                        + " ORDER BY s.next_run, s.id LIMIT " + limit)
                .bind("yes", true).bind("now", now).map(ScheduleStore::map).list();
    }

    long insert(Handle h, long projectId, ScheduleInput input, Instant nextRun, Instant created) {
        return h.createUpdate("INSERT INTO schedules (project_id, template_id, name, type, cron_format, run_at,"
                        + " delete_after_run, timezone, active, repository_id, task_params, next_run, created)"
                        + " VALUES (:p, :template, :name, :type, :cron, :runAt, :deleteAfter, :zone, :active,"
                        + " :repository, :params, :next, :created)")
                .bind("p", projectId).bind("template", input.templateId()).bind("name", input.name())
                .bind("type", input.type()).bind("cron", input.cronFormat()).bind("runAt", input.runAt())
                .bind("deleteAfter", input.deleteAfterRun()).bind("zone", input.timezone())
                .bind("active", input.active()).bind("repository", input.repositoryId())
                .bind("params", input.taskParams()).bind("next", nextRun).bind("created", created)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Replaces what a user sets; the commit last seen goes when the repository changes. */
    void update(Handle h, long id, ScheduleInput input, Instant nextRun, boolean repositoryChanged) {
        h.createUpdate("UPDATE schedules SET template_id = :template, name = :name, type = :type, cron_format = :cron,"
                        + " run_at = :runAt, delete_after_run = :deleteAfter, timezone = :zone, active = :active,"
                        + " repository_id = :repository, task_params = :params, next_run = :next"
                        + (repositoryChanged ? ", last_commit_hash = NULL" : "") + " WHERE id = :id")
                .bind("id", id).bind("template", input.templateId()).bind("name", input.name())
                .bind("type", input.type()).bind("cron", input.cronFormat()).bind("runAt", input.runAt())
                .bind("deleteAfter", input.deleteAfterRun()).bind("zone", input.timezone())
                .bind("active", input.active()).bind("repository", input.repositoryId())
                .bind("params", input.taskParams()).bind("next", nextRun).execute();
    }

    void switchOff(Handle h, long id, String error) {
        h.createUpdate("UPDATE schedules SET active = :no, next_run = NULL, last_error = :e WHERE id = :id")
                .bind("id", id).bind("no", false).bind("e", error).execute();
    }

    void setActive(Handle h, long id, boolean active, Instant nextRun) {
        h.createUpdate("UPDATE schedules SET active = :active, next_run = :next WHERE id = :id")
                .bind("id", id).bind("active", active).bind("next", nextRun).execute();
    }

    /**
     * Takes due time {@code due} for this process: true for exactly one caller however many processes
     * try. {@code following} is the next due time (null: none, and the schedule goes inactive).
     */
    boolean claim(Handle h, long id, Instant due, Instant following, int missed, String error) {
        // last_run records a due time that is run: not one that passed unseen or one that cannot run.
        boolean runs = missed == 0 && error == null;
        return h.createUpdate("UPDATE schedules SET next_run = :following, active = :active,"
                        + (runs ? " last_run = :due," : "")
                        + " missed_runs = missed_runs + :missed, last_error = :error"
                        + " WHERE id = :id AND active = :yes AND next_run = :due")
                .bind("id", id).bind("due", due).bind("following", following).bind("active", following != null)
                .bind("missed", missed).bind("error", error).bind("yes", true).execute() == 1;
    }

    void setError(Handle h, long id, String error) {
        h.createUpdate("UPDATE schedules SET last_error = :error WHERE id = :id").bind("id", id)
                .bind("error", error).execute();
    }

    Optional<String> lastCommit(Handle h, long id) {
        return h.createQuery("SELECT last_commit_hash FROM schedules WHERE id = :id").bind("id", id)
                .mapTo(String.class).findOne();
    }

    void setLastCommit(Handle h, long id, String hash) {
        h.createUpdate("UPDATE schedules SET last_commit_hash = :hash WHERE id = :id").bind("id", id)
                .bind("hash", hash).execute();
    }

    List<References.Ref> usingRepository(Handle h, long projectId, long repositoryId) {
        return h.createQuery("SELECT id, name FROM schedules WHERE project_id = :p AND repository_id = :r ORDER BY name")
                .bind("p", projectId).bind("r", repositoryId)
                .map((rs, ctx) -> new References.Ref(rs.getLong("id"), rs.getString("name"))).list();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM schedules WHERE id = :id").bind("id", id).execute();
    }

    private static Schedule map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Schedule(rs.getLong("id"), rs.getLong("project_id"), rs.getLong("template_id"), rs.getString("name"),
                rs.getString("type"), rs.getString("cron_format"), Rows.instant(rs, "run_at", ctx),
                rs.getBoolean("delete_after_run"), rs.getString("timezone"), rs.getBoolean("active"),
                Rows.nullableLong(rs, "repository_id"), rs.getString("task_params"), Rows.instant(rs, "next_run", ctx),
                Rows.instant(rs, "last_run", ctx), rs.getString("last_error"), rs.getInt("missed_runs"),
                rs.getString("tpl_name"), null);
    }
}
