package dev.semaphore.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runners as upstream's admin ({@code /api/runners}) and project ({@code /api/project/{id}/runners})
 * routes have them: list, make (the answer carries the token, this once), read, change, switch on
 * and off, clear a runner's cache, delete; {@code runner_tags} counts the runners of each tag.
 */
public final class RunnerController implements RouteGroup {
    private final RunnerService runners;

    public RunnerController(RunnerService runners) {
        this.runners = runners;
    }

    @Override
    public void register(Api api) {
        routes(api, "", Access.ADMIN, ctx -> null);
        routes(api, "/project/{project_id}", Access.project(Permission.MANAGE_RESOURCES),
                ctx -> Caller.project(ctx).projectId());
    }

    private void routes(Api api, String prefix, Access access, java.util.function.Function<Context, Long> project) {
        String one = prefix + "/runners/{runner_id}";
        api.get(prefix + "/runners", access, ctx -> ctx.json(runners.list(project.apply(ctx))))
                .post(prefix + "/runners", access, ctx -> {
                    RunnerService.Registered made = runners.create(Caller.user(ctx), project.apply(ctx),
                            Requests.body(ctx));
                    ObjectNode json = Json.mapper().valueToTree(made.runner());
                    if (made.token() != null) {
                        json.put("token", made.token());
                    }
                    if (made.privateKey() != null) {
                        json.put("private_key", made.privateKey());
                    }
                    ctx.status(201).json(json);
                })
                .post(one + "/registration-token", access, ctx -> ctx.json(runners.registrationToken(
                        Caller.user(ctx), project.apply(ctx), id(ctx))))
                .get(prefix + "/runner_tags", access, ctx -> ctx.json(tags(runners.list(project.apply(ctx)))))
                .get(one, access, ctx -> ctx.json(runners.get(project.apply(ctx), id(ctx))))
                .put(one, access, ctx -> {
                    runners.update(Caller.user(ctx), project.apply(ctx), id(ctx), Requests.body(ctx));
                    ctx.status(204);
                })
                .post(one, access, ctx -> {
                    runners.update(Caller.user(ctx), project.apply(ctx), id(ctx), Requests.body(ctx));
                    ctx.status(204);
                })
                .delete(one, access, ctx -> {
                    runners.delete(Caller.user(ctx), project.apply(ctx), id(ctx));
                    ctx.status(204);
                })
                .post(one + "/active", access, ctx -> {
                    runners.setActive(Caller.user(ctx), project.apply(ctx), id(ctx),
                            Requests.body(ctx).bool("active", true));
                    ctx.status(204);
                })
                .delete(one + "/cache", access, ctx -> {
                    runners.clearCache(Caller.user(ctx), project.apply(ctx), id(ctx));
                    ctx.status(204);
                });
    }

    private static long id(Context ctx) {
        return Requests.idParam(ctx, "runner_id");
    }

    private static List<Map<String, Object>> tags(List<Runner> list) {
        Map<String, Integer> counts = new TreeMap<>();
        list.stream().filter(r -> !r.tag().isEmpty()).forEach(r -> counts.merge(r.tag(), 1, Integer::sum));
        return counts.entrySet().stream()
                .map(e -> Map.<String, Object>of("tag", e.getKey(), "number_of_runners", e.getValue())).toList();
    }
}
