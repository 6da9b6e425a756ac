package dev.semaphore.option;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET/POST /api/options} (admins): upstream's run-time options, a key and a value at a time; and
 * {@code GET/POST /api/user/options}: a user's own few (upstream 2.19+), namespaced by the user's id.
 */
public final class OptionController implements RouteGroup {
    private final OptionService options;

    public OptionController(OptionService options) {
        this.options = options;
    }

    @Override
    public void register(Api api) {
        api.get("/options", Access.ADMIN, ctx -> ctx.json(options.all()))
                .post("/options", Access.ADMIN, ctx -> {
                    JsonBody body = Requests.body(ctx);
                    String key = body.requiredString("key");
                    if (!body.has("value")) {
                        throw ApiException.badRequest("field 'value' is required");
                    }
                    var value = body.object().get("value");
                    Map<String, String> change = new HashMap<>();
                    change.put(key, value.isTextual() ? value.asText() : value.toString());
                    options.set(Caller.user(ctx), change);
                    ctx.status(204);
                })
                .get("/user/options", Access.USER, ctx -> ctx.json(options.userOptions(Caller.user(ctx).id())))
                .post("/user/options", Access.USER, ctx -> {
                    JsonBody body = Requests.body(ctx);
                    String key = body.requiredString("key");
                    String value = body.optionalString("value").orElse("");
                    options.setUserOption(Caller.user(ctx), key, value);
                    ctx.json(Map.of("key", key, "value", value));
                });
    }
}
