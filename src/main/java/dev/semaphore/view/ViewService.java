package dev.semaphore.view;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.db.Database;
import dev.semaphore.db.References;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.project.ProjectInitializer;
import dev.semaphore.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Views: the tabs that group a project's templates, their order, and the built-in All view. */
public final class ViewService {
    private static final String COLUMNS = "id, project_id, title, position, hidden, type, sort_column, sort_reverse";

    private final Database db;
    private final EventLog events;
    private final References references;

    public ViewService(Database db, EventLog events, References references) {
        this.db = db;
        this.events = events;
        this.references = references;
    }

    /** Input of a view, checked on reading. */
    record ViewInput(String title, Integer position, boolean hidden, String sortColumn, boolean sortReverse) {
        static ViewInput parse(JsonBody body) {
            String title = body.requiredString("title").trim();
            if (title.length() > 255) {
                throw ApiException.badRequest("field 'title' must be at most 255 characters");
            }
            String sort = body.optionalString("sort_column").filter(s -> !s.isEmpty()).orElse(null);
            if (sort != null && !List.of("name", "last_task", "app").contains(sort)) {
                throw ApiException.badRequest("field 'sort_column' must be name, last_task or app");
            }
            return new ViewInput(title, body.optionalInt("position", 0).orElse(null), body.bool("hidden", false), sort,
                    body.bool("sort_reverse", false));
        }
    }

    /** Every project starts with the All view, as upstream. */
    public ProjectInitializer allView() {
        return (h, projectId) -> h.createUpdate("INSERT INTO views (project_id, title, position, hidden, type,"
                        + " sort_reverse) VALUES (:p, 'All', 0, :f, 'all', :f)")
                .bind("p", projectId).bind("f", false).execute();
    }

    public List<View> list(long projectId) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM views WHERE project_id = :p ORDER BY position, id")
                .bind("p", projectId).map(ViewService::map).list());
    }

    public View get(long projectId, long id) {
        return db.read(h -> find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    public boolean exists(Handle h, long projectId, long id) {
        return find(h, projectId, id).isPresent();
    }

    View create(User actor, long projectId, ViewInput input) {
        return db.tx(h -> {
            int position = input.position() != null ? input.position()
                    : h.createQuery("SELECT COALESCE(MAX(position), -1) + 1 FROM views WHERE project_id = :p")
                    .bind("p", projectId).mapTo(Integer.class).one();
            long id = h.createUpdate("INSERT INTO views (project_id, title, position, hidden, type, sort_column,"
                            + " sort_reverse) VALUES (:p, :title, :position, :hidden, '', :sort, :reverse)")
                    .bind("p", projectId).bind("title", input.title()).bind("position", position)
                    .bind("hidden", input.hidden()).bind("sort", input.sortColumn()).bind("reverse", input.sortReverse())
                    .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, input.title(), "View " + input.title() + " created");
            return find(h, projectId, id).orElseThrow();
        });
    }

    void update(User actor, long projectId, long id, ViewInput input) {
        db.txRun(h -> {
            View current = find(h, projectId, id).orElseThrow(() -> notFound(id));
            h.createUpdate("UPDATE views SET title = :title, position = :position, hidden = :hidden,"
                            + " sort_column = :sort, sort_reverse = :reverse WHERE id = :id")
                    .bind("id", id).bind("title", input.title())
                    .bind("position", input.position() == null ? current.position() : input.position())
                    .bind("hidden", input.hidden()).bind("sort", input.sortColumn()).bind("reverse", input.sortReverse())
                    .execute();
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, input.title(), "View " + input.title() + " updated");
        });
    }

    /** Sets positions from {"<view id>": position}; every id must be a view of the project. */
    void reorder(User actor, long projectId, Map<Long, Integer> positions) {
        db.txRun(h -> {
            for (Map.Entry<Long, Integer> entry : positions.entrySet()) {
                if (find(h, projectId, entry.getKey()).isEmpty()) {
                    throw ApiException.badRequest("view " + entry.getKey() + " is not a view of this project");
                }
                h.createUpdate("UPDATE views SET position = :position WHERE id = :id")
                        .bind("id", entry.getKey()).bind("position", entry.getValue()).execute();
            }
            events.record(h, actor.id(), projectId, ObjectType.VIEW, null, "", "Views reordered");
        });
    }

    void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            View current = find(h, projectId, id).orElseThrow(() -> notFound(id));
            if (current.type().equals("all")) {
                throw ApiException.badRequest("the All view cannot be deleted; hide it instead");
            }
            references.requireUnused(h, References.Target.VIEW, projectId, id, "view " + current.title());
            h.createUpdate("DELETE FROM views WHERE id = :id").bind("id", id).execute();
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, current.title(),
                    "View " + current.title() + " deleted");
        });
    }

    private static Optional<View> find(Handle h, long projectId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM views WHERE project_id = :p AND id = :id")
                .bind("p", projectId).bind("id", id).map(ViewService::map).findOne();
    }

    private static View map(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
        return new View(rs.getLong("id"), rs.getLong("project_id"), rs.getString("title"), rs.getInt("position"),
                rs.getBoolean("hidden"), rs.getString("type"), rs.getString("sort_column"), rs.getBoolean("sort_reverse"));
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("view " + id + " not found");
    }
}
