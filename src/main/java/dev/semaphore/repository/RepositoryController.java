package dev.semaphore.repository;

import dev.semaphore.resource.ProjectResourceRoutes;
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
        ProjectResourceRoutes.register(api, "repositories", "repository_id", repositories)
                .get("/project/{project_id}/repositories/{repository_id}/branches",
                        Access.project(Permission.MANAGE_RESOURCES), ctx -> ctx.json(repositories.branches(
                                Caller.project(ctx).projectId(), Requests.idParam(ctx, "repository_id"))));
    }
}
