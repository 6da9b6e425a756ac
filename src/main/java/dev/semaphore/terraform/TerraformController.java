package dev.semaphore.terraform;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * Terraform's HTTP backend at {@code /api/terraform/{alias}} (read and write the state; lock and
 * unlock by POST to {@code /lock} and {@code /unlock}), opened to a task only while it runs; and
 * each inventory's or template's state history for the project's managers.
 */
public final class TerraformController implements RouteGroup {
    private final TerraformBackend backend;

    public TerraformController(TerraformBackend backend) {
        this.backend = backend;
    }

    @Override
    public void register(Api api) {
        String state = "/terraform/{alias}";
        api.get(state, Access.PUBLIC, ctx -> {
                    TerraformBackend.Session session = session(ctx);
                    backend.latest(session.projectId(), session.scope()).ifPresentOrElse(
                            s -> ctx.contentType("application/json").result(s), () -> ctx.status(204));
                })
                .post(state, Access.PUBLIC, ctx -> {
                    TerraformBackend.Session session = session(ctx);
                    backend.save(session, ctx.body(), ctx.queryParam("ID"));
                    ctx.status(200);
                })
                .post(state + "/lock", Access.PUBLIC, ctx -> {
                    backend.lock(ctx.pathParam("alias"), session(ctx), ctx.body()).ifPresentOrElse(
                            held -> ctx.status(423).contentType("application/json")
                                    .result(held.getBytes(StandardCharsets.UTF_8)),
                            () -> ctx.status(200));
                })
                .post(state + "/unlock", Access.PUBLIC, ctx -> {
                    backend.unlock(ctx.pathParam("alias"), session(ctx), ctx.body());
                    ctx.status(200);
                });
        for (String owner : new String[] {"inventory", "templates"}) {
            String base = "/project/{project_id}/" + owner + "/{owner_id}/terraform/states";
            // States hold the secrets of what they describe: managers only, reads included.
            Access manage = Access.projectOnly(Permission.MANAGE_RESOURCES);
            api.get(base, manage, ctx -> ctx.json(backend.versions(project(ctx), scope(ctx, owner))))
                    .get(base + "/latest", manage, ctx -> ctx.contentType("application/json").result(
                            backend.latest(project(ctx), scope(ctx, owner))
                                    .orElseThrow(() -> ApiException.notFound("no state stored yet"))))
                    .get(base + "/{state_id}", manage, ctx -> ctx.contentType("application/json").result(
                            backend.version(project(ctx), scope(ctx, owner), Requests.idParam(ctx, "state_id"))
                                    .orElseThrow(() -> ApiException.notFound("state not found"))))
                    .delete(base + "/{state_id}", manage, ctx -> {
                        if (!backend.delete(Caller.user(ctx), project(ctx), scope(ctx, owner),
                                Requests.idParam(ctx, "state_id"))) {
                            throw ApiException.notFound("state not found");
                        }
                        ctx.status(204);
                    });
        }
    }

    /** The running task whose address this is, when the request comes from one of its processes. */
    private TerraformBackend.Session session(Context ctx) {
        return backend.session(ctx.pathParam("alias"), ctx.req().getRemotePort(), ctx.req().getLocalPort());
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }

    private static String scope(Context ctx, String owner) {
        long id = Requests.idParam(ctx, "owner_id");
        return owner.equals("inventory") ? "inventory:" + id : "template:" + id;
    }
}
