package dev.semaphore.repository;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/repositories}. Reads for members, changes for managers and owners. */
public final class RepositoryController implements RouteGroup {
    private final RepositoryService repositories;

    public RepositoryController(RepositoryService repositories) {
        this.repositories = repositories;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/repositories";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(repositories.list(Caller.project(ctx).projectId(),
                        ctx.queryParam("sort"), ctx.queryParam("order"))))
                .post(base, access, ctx -> ctx.status(201).json(repositories.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), RepositoryInput.parse(Requests.body(ctx)))))
                .get(base + "/{repository_id}", access, ctx -> ctx.json(repositories.get(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "repository_id"))))
                .put(base + "/{repository_id}", access, ctx -> {
                    repositories.update(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "repository_id"), RepositoryInput.parse(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(base + "/{repository_id}", access, ctx -> {
                    repositories.delete(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "repository_id"));
                    ctx.status(204);
                })
                .get(base + "/{repository_id}/branches", access, ctx -> ctx.json(repositories.branches(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "repository_id"))))
                .get(base + "/{repository_id}/refs", access, ctx -> ctx.json(repositories.refs(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "repository_id"))));
    }
}
