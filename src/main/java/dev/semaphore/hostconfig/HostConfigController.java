package dev.semaphore.hostconfig;

import dev.semaphore.resource.ProjectResourceRoutes;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/host_configs}: reads for members, changes for managers and owners, as upstream. */
public final class HostConfigController implements RouteGroup {
    private final HostConfigService configs;

    public HostConfigController(HostConfigService configs) {
        this.configs = configs;
    }

    @Override
    public void register(Api api) {
        ProjectResourceRoutes.register(api, "host_configs", "host_config_id", configs);
    }
}
