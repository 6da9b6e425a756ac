package dev.semaphore.event.api;

import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.user.User;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** The activity log: {@code /api/events[/last]} and {@code /api/project/{id}/events[/last]}. */
public final class EventController implements RouteGroup {
    private static final int LAST = 200;
    private static final int MAX_PAGE = 10_000;

    private final Database db;
    private final EventLog events;

    public EventController(Database db, EventLog events) {
        this.db = db;
        this.events = events;
    }

    @Override
    public void register(Api api) {
        api.get("/events", Access.USER, ctx -> {
            User user = Caller.user(ctx);
            int limit = Requests.intQuery(ctx, "limit", MAX_PAGE, MAX_PAGE);
            ctx.json(db.read(h -> events.forUser(h, user.id(), user.admin(), limit)));
        }).get("/events/last", Access.USER, ctx -> {
            User user = Caller.user(ctx);
            ctx.json(db.read(h -> events.forUser(h, user.id(), user.admin(), LAST)));
        }).get("/project/{project_id}/events", Access.projectMember(), ctx -> {
            int limit = Requests.intQuery(ctx, "limit", MAX_PAGE, MAX_PAGE);
            ctx.json(db.read(h -> events.forProject(h, Caller.project(ctx).projectId(), limit)));
        }).get("/project/{project_id}/events/last", Access.projectMember(),
                ctx -> ctx.json(db.read(h -> events.forProject(h, Caller.project(ctx).projectId(), LAST))));
    }
}
