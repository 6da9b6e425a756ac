package dev.semaphore.inventory;

import dev.semaphore.resource.ProjectResourceRoutes;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/**
 * {@code /api/project/{id}/inventory}. Reads for members, changes for managers and owners; the list takes
 * upstream's {@code ?template_id=} and {@code ?app=}.
 */
public final class InventoryController implements RouteGroup {
    private final InventoryService inventories;

    public InventoryController(InventoryService inventories) {
        this.inventories = inventories;
    }

    @Override
    public void register(Api api) {
        ProjectResourceRoutes.register(api, "inventory", "inventory_id", inventories,
                ctx -> inventories.list(Caller.project(ctx).projectId(), ctx.queryParam("sort"), ctx.queryParam("order"),
                        templateId(ctx.queryParam("template_id")), ctx.queryParam("app")));
    }

    private static Long templateId(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw dev.semaphore.common.ApiException.badRequest("query parameter 'template_id' must be a number");
        }
    }
}
