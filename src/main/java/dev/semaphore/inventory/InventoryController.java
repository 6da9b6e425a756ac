package dev.semaphore.inventory;

import dev.semaphore.resource.ProjectResourceRoutes;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/inventory}. Reads for members, changes for managers and owners. */
public final class InventoryController implements RouteGroup {
    private final InventoryService inventories;

    public InventoryController(InventoryService inventories) {
        this.inventories = inventories;
    }

    @Override
    public void register(Api api) {
        ProjectResourceRoutes.register(api, "inventory", "inventory_id", inventories);
    }
}
