package dev.semaphore.system;

import dev.semaphore.security.Access;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.List;

/**
 * Routes of features this server does not have yet (secret storages). Upstream's web UI waits on them before it shows the key, variable group, inventory and
 * template forms, so they answer with what such a server holds: nothing, never 404.
 */
public final class EmptyListsController implements RouteGroup {
    @Override
    public void register(Api api) {
        Access member = Access.project(Permission.MANAGE_RESOURCES);
        api.get("/project/{project_id}/secret_storages", member, ctx -> ctx.json(List.of()));
    }
}
