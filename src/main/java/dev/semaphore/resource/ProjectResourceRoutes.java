package dev.semaphore.resource;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * Upstream's six routes of a project resource, one way for every kind: list (with {@code sort} and
 * {@code order}), create (201 with the object), get, update (204), delete (204) and {@code /refs}.
 * Members read; managers and owners change.
 */
public final class ProjectResourceRoutes {
    private ProjectResourceRoutes() {
    }

    /**
     * @param collection the path below the project, such as {@code keys}
     * @param idParam the name of the object's id in the path, such as {@code key_id}
     * @return {@code api}, to add the routes that only this kind has
     */
    public static <T, I> Api register(Api api, String collection, String idParam, ProjectResources<T, I> resources) {
        return register(api, collection, idParam, resources,
                ctx -> resources.list(project(ctx), ctx.queryParam("sort"), ctx.queryParam("order")));
    }

    /** @param list the list as this kind answers it (with filters of its own) */
    public static <T, I> Api register(Api api, String collection, String idParam, ProjectResources<T, I> resources,
                                      Function<Context, java.util.List<T>> list) {
        Function<Context, I> input = ctx -> resources.parse(Requests.body(ctx).object());
        String base = "/project/{project_id}/" + collection;
        String one = base + "/{" + idParam + "}";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        return api.get(base, access, ctx -> ctx.json(list.apply(ctx)))
                .post(base, access, ctx -> ctx.status(201).json(resources.create(Caller.user(ctx), project(ctx),
                        input.apply(ctx))))
                .get(one, access, ctx -> ctx.json(resources.get(project(ctx), Requests.idParam(ctx, idParam))))
                .put(one, access, ctx -> {
                    resources.update(Caller.user(ctx), project(ctx), Requests.idParam(ctx, idParam),
                            input.apply(ctx));
                    ctx.status(204);
                })
                .delete(one, access, ctx -> {
                    resources.delete(Caller.user(ctx), project(ctx), Requests.idParam(ctx, idParam));
                    ctx.status(204);
                })
                .get(one + "/refs", access, ctx -> ctx.json(resources.refs(project(ctx), Requests.idParam(ctx, idParam))));
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }
}
