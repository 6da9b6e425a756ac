package dev.semaphore.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigException;
import dev.semaphore.option.OptionService;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/apps}: the apps templates can use; admins change them at run time as upstream does
 * ({@code PUT|POST|DELETE /api/apps/{id}}, {@code POST /api/apps/{id}/active}), kept as options
 * ({@code apps.<id>.<field>}) over what the {@code apps} setting says.
 */
public final class AppController implements RouteGroup {
    private static final List<String> FIELDS = List.of("active", "priority", "title", "icon", "color", "dark_color",
            "path", "args");

    private final Apps apps;
    private final OptionService options;

    public AppController(Apps apps, OptionService options) {
        this.apps = apps;
        this.options = options;
    }

    /** The run-time app changes, as the {@code apps} setting would give them: id to JSON settings. */
    public static Map<String, String> fromOptions(Map<String, String> stored) {
        Map<String, ObjectNode> byApp = new HashMap<>();
        stored.forEach((key, value) -> {
            String[] parts = key.split("\\.", 3);
            if (parts.length == 3 && FIELDS.contains(parts[2])) {
                ObjectNode app = byApp.computeIfAbsent(parts[1], id -> Json.mapper().createObjectNode());
                switch (parts[2]) {
                    case "active" -> app.put("active", Boolean.parseBoolean(value));
                    case "priority" -> app.put("priority", Integer.parseInt(value));
                    case "args" -> app.set("args", Json.tree(value));
                    default -> app.put(parts[2], value);
                }
            }
        });
        Map<String, String> out = new HashMap<>();
        byApp.forEach((id, node) -> out.put(id, node.toString()));
        return out;
    }

    @Override
    public void register(Api api) {
        api.get("/apps", Access.USER, ctx -> ctx.json(apps.list()))
                .get("/apps/{app_id}", Access.ADMIN, ctx -> ctx.json(apps.get(id(ctx))
                        .orElseThrow(() -> ApiException.notFound("app " + id(ctx) + " not found"))))
                .put("/apps/{app_id}", Access.ADMIN, this::save)
                .post("/apps/{app_id}", Access.ADMIN, this::save)
                .delete("/apps/{app_id}", Access.ADMIN, ctx -> {
                    options.removePrefix(Caller.user(ctx), "apps." + id(ctx) + ".");
                    apps.changed();
                    ctx.status(204);
                })
                .post("/apps/{app_id}/active", Access.ADMIN, ctx -> {
                    var body = Requests.body(ctx);
                    if (!body.has("active")) {
                        throw ApiException.badRequest("field 'active' is required");
                    }
                    options.set(Caller.user(ctx), Map.of("apps." + id(ctx) + ".active",
                            String.valueOf(body.bool("active", true))));
                    apps.changed();
                    ctx.status(204);
                });
    }

    private void save(Context ctx) {
        String id = id(ctx);
        ObjectNode body = Requests.body(ctx).object();
        try {
            Apps.check(id, body.toString());
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage().replace("invalid value for apps (SEMAPHORE_APPS): ", ""));
        }
        Map<String, String> change = new HashMap<>();
        for (String field : FIELDS) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                change.put("apps." + id + "." + field, value.isTextual() ? value.asText() : value.toString());
            }
        }
        options.set(Caller.user(ctx), change);
        apps.changed();
        ctx.status(204);
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("app_id");
        if (!id.matches("[a-z0-9][a-z0-9_-]{0,49}")) {
            throw ApiException.badRequest("app id must be lower-case letters, digits, - or _");
        }
        return id;
    }
}
