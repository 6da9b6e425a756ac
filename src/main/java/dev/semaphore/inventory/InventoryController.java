package dev.semaphore.inventory;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/inventory}. Reads for members, changes for managers and owners. */
public final class InventoryController implements RouteGroup {
    private final InventoryService inventories;

    public InventoryController(InventoryService inventories) {
        this.inventories = inventories;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/inventory";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(inventories.list(Caller.project(ctx).projectId(),
                        ctx.queryParam("sort"), ctx.queryParam("order"))))
                .post(base, access, ctx -> ctx.status(201).json(inventories.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), InventoryInput.parse(Requests.body(ctx)))))
                .get(base + "/{inventory_id}", access, ctx -> ctx.json(inventories.get(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "inventory_id"))))
                .put(base + "/{inventory_id}", access, ctx -> {
                    inventories.update(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "inventory_id"), InventoryInput.parse(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(base + "/{inventory_id}", access, ctx -> {
                    inventories.delete(Caller.user(ctx), Caller.project(ctx).projectId(),
                            Requests.idParam(ctx, "inventory_id"));
                    ctx.status(204);
                })
                .get(base + "/{inventory_id}/refs", access, ctx -> ctx.json(inventories.refs(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "inventory_id"))));
    }
}
