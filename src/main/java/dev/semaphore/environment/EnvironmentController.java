package dev.semaphore.environment;

import dev.semaphore.resource.ProjectResourceRoutes;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/environment}: variable groups. Reads for members, changes for managers and owners. */
public final class EnvironmentController implements RouteGroup {
    private final EnvironmentService environments;

    public EnvironmentController(EnvironmentService environments) {
        this.environments = environments;
    }

    @Override
    public void register(Api api) {
        ProjectResourceRoutes.register(api, "environment", "environment_id", environments);
    }
}
