package dev.semaphore.secret;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/keys}: the key store. Reads for members, changes for managers and owners. */
public final class AccessKeyController implements RouteGroup {
    private final AccessKeyService keys;

    public AccessKeyController(AccessKeyService keys) {
        this.keys = keys;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/keys";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(keys.list(Caller.project(ctx).projectId(), ctx.queryParam("sort"),
                        ctx.queryParam("order"))))
                .post(base, access, ctx -> ctx.status(201).json(keys.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), KeyInput.parse(Requests.body(ctx)))))
                .get(base + "/{key_id}", access, ctx -> ctx.json(keys.get(Caller.project(ctx).projectId(),
                        Requests.idParam(ctx, "key_id"))))
                .put(base + "/{key_id}", access, ctx -> {
                    keys.update(Caller.user(ctx), Caller.project(ctx).projectId(), Requests.idParam(ctx, "key_id"),
                            KeyInput.parse(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(base + "/{key_id}", access, ctx -> {
                    keys.delete(Caller.user(ctx), Caller.project(ctx).projectId(), Requests.idParam(ctx, "key_id"));
                    ctx.status(204);
                })
                .get(base + "/{key_id}/refs", access, ctx -> ctx.json(keys.refs(Caller.project(ctx).projectId(),
                        Requests.idParam(ctx, "key_id"))));
    }
}
