package dev.semaphore.app;

import dev.semaphore.security.Access;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/** {@code GET /api/apps}: the apps templates can use, for the template form's app picker. */
public final class AppController implements RouteGroup {
    private final Apps apps;

    public AppController(Apps apps) {
        this.apps = apps;
    }

    @Override
    public void register(Api api) {
        api.get("/apps", Access.USER, ctx -> ctx.json(apps.list()));
    }
}
