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
import org.jdbi.v3.core.Handle;

/** Views: the tabs that group a project's templates, their order, and the built-in All view. */
public final class ViewService {
    private final Database db;
    private final ViewStore store = new ViewStore();
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
            return parse(body, false);
        }

        /** @param untitled whether a view may lack a title (upstream's backups hold such views; people name theirs) */
        static ViewInput parse(JsonBody body, boolean untitled) {
            String title = untitled ? body.optionalString("title").orElse("").trim() : body.requiredString("title").trim();
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
        return store::insertAll;
    }

    public List<View> list(long projectId) {
        return db.read(h -> store.ofProject(h, projectId));
    }

    public View get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    public boolean exists(Handle h, long projectId, long id) {
        return store.find(h, projectId, id).isPresent();
    }

    /** Whether the view is the project's built-in All view. */
    public boolean isAll(Handle h, long projectId, long id) {
        return store.find(h, projectId, id).map(v -> "all".equals(v.type())).orElse(false);
    }

    /** Creates from a backup's or the demo's view, which may lack a title. */
    public View create(User actor, long projectId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        return create(actor, projectId, ViewInput.parse(JsonBody.of(body), true));
    }

    View create(User actor, long projectId, ViewInput input) {
        return db.tx(h -> {
            int position = input.position() != null ? input.position() : store.nextPosition(h, projectId);
            long id = store.insert(h, projectId, input, position);
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, input.title(), "View " + input.title() + " created");
            return store.find(h, projectId, id).orElseThrow();
        });
    }

    /** Updates from a backup's view (restoring into a project), which may lack a title. */
    public void update(User actor, long projectId, long id, com.fasterxml.jackson.databind.node.ObjectNode body) {
        update(actor, projectId, id, ViewInput.parse(JsonBody.of(body), true));
    }

    void update(User actor, long projectId, long id, ViewInput input) {
        db.txRun(h -> {
            View current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            store.update(h, id, input, input.position() == null ? current.position() : input.position());
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, input.title(), "View " + input.title() + " updated");
        });
    }

    /** Sets positions from {"<view id>": position}; every id must be a view of the project. */
    void reorder(User actor, long projectId, Map<Long, Integer> positions) {
        db.txRun(h -> {
            for (Map.Entry<Long, Integer> entry : positions.entrySet()) {
                if (store.find(h, projectId, entry.getKey()).isEmpty()) {
                    throw ApiException.badRequest("view " + entry.getKey() + " is not a view of this project");
                }
                store.setPosition(h, entry.getKey(), entry.getValue());
            }
            events.record(h, actor.id(), projectId, ObjectType.VIEW, null, "", "Views reordered");
        });
    }

    void delete(User actor, long projectId, long id) {
        db.txRun(h -> {
            View current = store.find(h, projectId, id).orElseThrow(() -> notFound(id));
            if (current.type().equals("all")) {
                throw ApiException.badRequest("the All view cannot be deleted; hide it instead");
            }
            references.requireUnused(h, References.Target.VIEW, projectId, id, "view " + current.title());
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.VIEW, id, current.title(),
                    "View " + current.title() + " deleted");
        });
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("view " + id + " not found");
    }
}
