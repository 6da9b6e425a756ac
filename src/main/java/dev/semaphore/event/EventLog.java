package dev.semaphore.event;

import dev.semaphore.common.Times;
import dev.semaphore.db.Rows;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Writes and reads the activity log. Writers pass the handle of their own transaction, so an
 * event is stored exactly when the change it describes is.
 */
public final class EventLog {
    private static final String SELECT = """
            SELECT e.id, e.user_id, e.project_id, e.object_id, e.object_type, e.description, e.created,
                   e.object_name, p.name AS project_name, u.username
            FROM events e
            LEFT JOIN projects p ON p.id = e.project_id
            LEFT JOIN users u ON u.id = e.user_id
            """;

    /** Records one change. {@code actorId} is null for changes made by the system itself. */
    public void record(Handle handle, Long actorId, Long projectId, ObjectType type, Long objectId,
                       String objectName, String description) {
        handle.createUpdate("""
                        INSERT INTO events (created, user_id, project_id, object_id, object_type, object_name, description)
                        VALUES (:created, :user, :project, :object, :type, :name, :description)""")
                .bind("created", Times.now())
                .bind("user", actorId)
                .bind("project", projectId)
                .bind("object", objectId)
                .bind("type", type.wire())
                .bind("name", objectName == null ? "" : objectName)
                .bind("description", description)
                .execute();
    }

    /** Events a user may see: those of their projects and their own; all of them for an admin. */
    public List<Event> forUser(Handle handle, long userId, boolean admin, int limit) {
        String where = admin ? "" : """
                WHERE e.project_id IN (SELECT pu.project_id FROM project_users pu WHERE pu.user_id = :user)
                   OR (e.project_id IS NULL AND e.user_id = :user)
                """;
        var query = handle.createQuery(SELECT + where + " ORDER BY e.id DESC" + limitClause(limit));
        if (!admin) {
            query.bind("user", userId);
        }
        return query.map(EventLog::map).list();
    }

    /** Events after that id, oldest first (for the exports). */
    public List<Event> after(Handle handle, long afterId, int limit) {
        return handle.createQuery(SELECT + " WHERE e.id > :after ORDER BY e.id" + limitClause(limit))
                .bind("after", afterId).map(EventLog::map).list();
    }

    /** The newest event's id (0 when there is none). */
    public long lastId(Handle handle) {
        return handle.createQuery("SELECT COALESCE(MAX(id), 0) FROM events").mapTo(Long.class).one();
    }

    public List<Event> forProject(Handle handle, long projectId, int limit) {
        return handle.createQuery(SELECT + " WHERE e.project_id = :project ORDER BY e.id DESC" + limitClause(limit))
                .bind("project", projectId)
                .map(EventLog::map)
                .list();
    }

    private static String limitClause(int limit) {
        return limit > 0 ? " LIMIT " + limit : "";
    }

    private static Event map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new Event(
                rs.getLong("id"),
                Rows.nullableLong(rs, "user_id"),
                Rows.nullableLong(rs, "project_id"),
                null,
                Rows.nullableLong(rs, "object_id"),
                rs.getString("object_type"),
                rs.getString("description"),
                Rows.instant(rs, "created", ctx),
                rs.getString("object_name"),
                rs.getString("project_name"),
                rs.getString("username"));
    }
}
