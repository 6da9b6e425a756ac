package dev.semaphore.secret;

import dev.semaphore.resource.ProjectResourceRoutes;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/keys}: the key store. Reads for members, changes for managers and owners. */
public final class AccessKeyController implements RouteGroup {
    private final AccessKeyService keys;

    public AccessKeyController(AccessKeyService keys) {
        this.keys = keys;
    }

    @Override
    public void register(Api api) {
        ProjectResourceRoutes.register(api, "keys", "key_id", keys);
    }
}
