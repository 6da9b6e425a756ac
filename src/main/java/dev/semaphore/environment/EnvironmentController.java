package dev.semaphore.environment;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/environment}: variable groups. Reads for members, changes for managers and owners. */
public final class EnvironmentController implements RouteGroup {
    private final EnvironmentService environments;

    public EnvironmentController(EnvironmentService environments) {
        this.environments = environments;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/environment";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(environments.list(Caller.project(ctx).projectId(),
                        ctx.queryParam("sort"), ctx.queryParam("order"))))
                .post(base, access, ctx -> ctx.status(201).json(environments.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), EnvironmentInput.parse(Requests.body(ctx), ctx.body()))))
                .get(base + "/{environment_id}", access, ctx -> ctx.json(environments.get(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "environment_id"))))
                .put(base + "/{environment_id}", access, ctx -> {
                    environments.update(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "environment_id"),
                            EnvironmentInput.parse(Requests.body(ctx), ctx.body()));
                    ctx.status(204);
                })
                .delete(base + "/{environment_id}", access, ctx -> {
                    environments.delete(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "environment_id"));
                    ctx.status(204);
                })
                .get(base + "/{environment_id}/refs", access, ctx -> ctx.json(environments.refs(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "environment_id"))));
    }
}
