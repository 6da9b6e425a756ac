package dev.semaphore.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /api/project/{id}/views}. Reads for members, changes for managers and owners. */
public final class ViewController implements RouteGroup {
    private final ViewService views;

    public ViewController(ViewService views) {
        this.views = views;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/views";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(views.list(Caller.project(ctx).projectId())))
                .post(base, access, ctx -> ctx.status(201).json(views.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), ViewService.ViewInput.parse(Requests.body(ctx)))))
                .post(base + "/positions", access, this::positions)
                .get(base + "/{view_id}", access, ctx -> ctx.json(views.get(Caller.project(ctx).projectId(),
                        Requests.idParam(ctx, "view_id"))))
                .put(base + "/{view_id}", access, ctx -> {
                    views.update(Caller.user(ctx), Caller.project(ctx).projectId(), Requests.idParam(ctx, "view_id"),
                            ViewService.ViewInput.parse(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(base + "/{view_id}", access, ctx -> {
                    views.delete(Caller.user(ctx), Caller.project(ctx).projectId(), Requests.idParam(ctx, "view_id"));
                    ctx.status(204);
                });
    }

    private void positions(Context ctx) {
        JsonNode body;
        try {
            body = Json.mapper().readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("body must be an object of view id to position");
        }
        Map<Long, Integer> positions = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : body.properties()) {
            try {
                long id = Long.parseLong(entry.getKey());
                if (!entry.getValue().canConvertToInt() || !entry.getValue().isIntegralNumber()) {
                    throw new NumberFormatException();
                }
                positions.put(id, entry.getValue().intValue());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("'" + entry.getKey() + "' must map a view id to an integer position");
            }
        }
        views.reorder(Caller.user(ctx), Caller.project(ctx).projectId(), positions);
        ctx.status(204);
    }
}
