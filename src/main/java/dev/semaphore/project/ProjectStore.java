package dev.semaphore.project;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import dev.semaphore.security.ProjectRole;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for projects and their members. */
final class ProjectStore {
    private static final String COLUMNS = "p.id, p.name, p.created, p.alert, p.alert_chat, p.max_parallel_tasks, p.type,"
            + " p.task_retention_days, p.max_tasks_per_template";

    Optional<Project> find(Handle h, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM projects p WHERE p.id = :id")
                .bind("id", id).map(ProjectStore::map).findOne();
    }

    List<Project> all(Handle h) {
        return h.createQuery("SELECT " + COLUMNS + " FROM projects p ORDER BY p.name, p.id")
                .map(ProjectStore::map).list();
    }

    List<Project> ofUser(Handle h, long userId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM projects p JOIN project_users pu ON pu.project_id = p.id"
                        + " WHERE pu.user_id = :user ORDER BY p.name, p.id")
                .bind("user", userId).map(ProjectStore::map).list();
    }

    long insert(Handle h, String name, boolean alert, String alertChat, int maxParallelTasks, String type,
                int taskRetentionDays, int maxTasksPerTemplate) {
        return h.createUpdate("""
                        INSERT INTO projects (created, name, alert, alert_chat, max_parallel_tasks, type,
                                              task_retention_days, max_tasks_per_template)
                        VALUES (:created, :name, :alert, :chat, :max, :type, :days, :keep)""")
                .bind("days", taskRetentionDays)
                .bind("keep", maxTasksPerTemplate)
                .bind("created", Times.now())
                .bind("name", name)
                .bind("alert", alert)
                .bind("chat", alertChat)
                .bind("max", maxParallelTasks)
                .bind("type", type)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    void update(Handle h, Project p) {
        h.createUpdate("""
                        UPDATE projects SET name = :name, alert = :alert, alert_chat = :chat,
                               max_parallel_tasks = :max, type = :type, task_retention_days = :days,
                               max_tasks_per_template = :keep WHERE id = :id""")
                .bind("days", p.taskRetentionDays())
                .bind("keep", p.maxTasksPerTemplate())
                .bind("id", p.id())
                .bind("name", p.name())
                .bind("alert", p.alert())
                .bind("chat", p.alertChat())
                .bind("max", p.maxParallelTasks())
                .bind("type", p.type())
                .execute();
    }

    void delete(Handle h, long id) {
        // Events first: they reference the project, and some engines do not cascade in one statement.
        h.createUpdate("DELETE FROM events WHERE project_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM project_users WHERE project_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM projects WHERE id = :id").bind("id", id).execute();
    }

    Optional<ProjectRole> role(Handle h, long projectId, long userId) {
        return h.createQuery("SELECT role FROM project_users WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).mapTo(String.class).findOne()
                .flatMap(ProjectRole::fromWire);
    }

    List<ProjectMember> members(Handle h, long projectId, String orderBy) {
        return h.createQuery("""
                        SELECT u.id, u.name, u.username, pu.role FROM project_users pu
                        JOIN users u ON u.id = pu.user_id WHERE pu.project_id = :p
                        ORDER BY\s""" + orderBy)
                .bind("p", projectId)
                .map((rs, ctx) -> new ProjectMember(rs.getLong("id"), rs.getString("name"), rs.getString("username"),
                        rs.getString("role")))
                .list();
    }

    /** Empty when the project does not exist; else the user's role in it, if a member. */
    Optional<Optional<String>> roleOf(Handle h, long projectId, long userId) {
        return h.createQuery("""
                        SELECT p.id, pu.role FROM projects p
                        LEFT JOIN project_users pu ON pu.project_id = p.id AND pu.user_id = :user
                        WHERE p.id = :project""")
                .bind("project", projectId).bind("user", userId)
                .map((rs, ctx) -> Optional.ofNullable(rs.getString("role")))
                .findOne();
    }

    List<String> alertRecipients(Handle h, long projectId) {
        return h.createQuery("""
                        SELECT u.email FROM project_users pu JOIN users u ON u.id = pu.user_id
                        WHERE pu.project_id = :p AND u.alert = :yes AND u.email IS NOT NULL AND u.email <> ''
                        ORDER BY u.id""")
                .bind("p", projectId).bind("yes", true).mapTo(String.class).list();
    }

    long countOwners(Handle h, long projectId) {
        return h.createQuery("SELECT COUNT(*) FROM project_users WHERE project_id = :p AND role = :owner")
                .bind("p", projectId).bind("owner", ProjectRole.OWNER.wire()).mapTo(Long.class).one();
    }

    void addMember(Handle h, long projectId, long userId, ProjectRole role) {
        h.createUpdate("INSERT INTO project_users (project_id, user_id, role) VALUES (:p, :u, :role)")
                .bind("p", projectId).bind("u", userId).bind("role", role.wire()).execute();
    }

    void setRole(Handle h, long projectId, long userId, ProjectRole role) {
        h.createUpdate("UPDATE project_users SET role = :role WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).bind("role", role.wire()).execute();
    }

    void removeMember(Handle h, long projectId, long userId) {
        h.createUpdate("DELETE FROM project_users WHERE project_id = :p AND user_id = :u")
                .bind("p", projectId).bind("u", userId).execute();
    }

    private static Project map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Project(rs.getLong("id"), rs.getString("name"), Rows.instant(rs, "created", ctx),
                rs.getBoolean("alert"), rs.getString("alert_chat"), rs.getInt("max_parallel_tasks"),
                rs.getString("type"), rs.getInt("task_retention_days"), rs.getInt("max_tasks_per_template"));
    }
}
