package dev.semaphore.view;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for views. */
final class ViewStore {
    private static final String COLUMNS = "id, project_id, title, position, hidden, type, sort_column, sort_reverse";

    /** The built-in All view a new project gets. */
    void insertAll(Handle h, long projectId) {
        h.createUpdate("INSERT INTO views (project_id, title, position, hidden, type, sort_reverse)"
                        + " VALUES (:p, 'All', 0, :f, 'all', :f)")
                .bind("p", projectId).bind("f", false).execute();
    }

    List<View> ofProject(Handle h, long projectId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM views WHERE project_id = :p ORDER BY position, id")
                .bind("p", projectId).map(ViewStore::map).list();
    }

    Optional<View> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM views WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(ViewStore::map).findOne();
    }

    /** The position after the project's last view. */
    int nextPosition(Handle h, long projectId) {
        return h.createQuery("SELECT COALESCE(MAX(position), -1) + 1 FROM views WHERE project_id = :p")
                .bind("p", projectId).mapTo(Integer.class).one();
    }

    long insert(Handle h, long projectId, ViewService.ViewInput input, int position) {
        return h.createUpdate("INSERT INTO views (project_id, title, position, hidden, type, sort_column,"
                        + " sort_reverse) VALUES (:p, :title, :position, :hidden, '', :sort, :reverse)")
                .bind("p", projectId).bind("title", input.title()).bind("position", position)
                .bind("hidden", input.hidden()).bind("sort", input.sortColumn()).bind("reverse", input.sortReverse())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    void update(Handle h, long id, ViewService.ViewInput input, int position) {
        h.createUpdate("UPDATE views SET title = :title, position = :position, hidden = :hidden,"
                        + " sort_column = :sort, sort_reverse = :reverse WHERE id = :id")
                .bind("id", id).bind("title", input.title()).bind("position", position)
                .bind("hidden", input.hidden()).bind("sort", input.sortColumn()).bind("reverse", input.sortReverse())
                .execute();
    }

    void setPosition(Handle h, long id, int position) {
        h.createUpdate("UPDATE views SET position = :position WHERE id = :id").bind("id", id)
                .bind("position", position).execute();
    }

    void delete(Handle h, long id) {
        h.createUpdate("DELETE FROM views WHERE id = :id").bind("id", id).execute();
    }

    private static View map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new View(rs.getLong("id"), rs.getLong("project_id"), rs.getString("title"), rs.getInt("position"),
                rs.getBoolean("hidden"), rs.getString("type"), rs.getString("sort_column"), rs.getBoolean("sort_reverse"));
    }
}
