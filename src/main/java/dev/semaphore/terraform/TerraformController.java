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
 * Terraform's HTTP backend at {@code /api/terraform/{alias}} (read and write the state; lock and unlock with
 * terraform's own LOCK and UNLOCK methods, or by POST to {@code /lock} and {@code /unlock}), opened to a task
 * only while it runs, or to a person's terraform through a workspace's state alias and its key; each
 * inventory's or template's state history, and a workspace's aliases, for the project's managers.
 */
public final class TerraformController implements RouteGroup {
    private final TerraformBackend backend;
    private final TerraformAliases aliases;

    public TerraformController(TerraformBackend backend, TerraformAliases aliases) {
        this.backend = backend;
        this.aliases = aliases;
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
                .post(state + "/lock", Access.PUBLIC, this::lock)
                .post(state + "/unlock", Access.PUBLIC, this::unlock)
                .method("LOCK", state, Access.PUBLIC, this::lock)
                .method("UNLOCK", state, Access.PUBLIC, this::unlock);
        String workspace = "/project/{project_id}/inventory/{inventory_id}/terraform/aliases";
        Access managers = Access.projectOnly(Permission.MANAGE_RESOURCES);
        api.get(workspace, managers, ctx -> ctx.json(aliases.list(project(ctx), inventory(ctx), base(ctx))))
                .post(workspace, managers, ctx -> ctx.json(aliases.create(Caller.user(ctx), project(ctx), inventory(ctx),
                        keyOf(ctx), base(ctx))))
                .get(workspace + "/{alias_id}", managers, ctx -> ctx.json(aliases.get(project(ctx), inventory(ctx),
                        Requests.idParam(ctx, "alias_id"), base(ctx))))
                .put(workspace + "/{alias_id}", managers, ctx -> {
                    aliases.setKey(Caller.user(ctx), project(ctx), inventory(ctx), Requests.idParam(ctx, "alias_id"),
                            keyOf(ctx));
                    ctx.status(204);
                })
                .delete(workspace + "/{alias_id}", managers, ctx -> {
                    aliases.delete(Caller.user(ctx), project(ctx), inventory(ctx), Requests.idParam(ctx, "alias_id"));
                    ctx.status(204);
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

    private void lock(Context ctx) {
        backend.lock(ctx.pathParam("alias"), session(ctx), ctx.body()).ifPresentOrElse(
                held -> ctx.status(423).contentType("application/json").result(held.getBytes(StandardCharsets.UTF_8)),
                () -> ctx.status(200));
    }

    private void unlock(Context ctx) {
        backend.unlock(ctx.pathParam("alias"), session(ctx), ctx.body());
        ctx.status(200);
    }

    /** The running task or state alias whose address this is. */
    private TerraformBackend.Session session(Context ctx) {
        return backend.session(ctx.pathParam("alias"), ctx.req().getRemotePort(), ctx.req().getLocalPort(),
                ctx.header("Authorization"), aliases);
    }

    private static long inventory(Context ctx) {
        return Requests.idParam(ctx, "inventory_id");
    }

    private static Long keyOf(Context ctx) {
        if (ctx.body().isBlank()) {
            return null;
        }
        return Requests.body(ctx).optionalLong("auth_key_id").filter(id -> id > 0).orElse(null);
    }

    /** This server's address as the request reached it, for aliases' URLs when web_host is not set. */
    private static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }

    private static String scope(Context ctx, String owner) {
        long id = Requests.idParam(ctx, "owner_id");
        return owner.equals("inventory") ? "inventory:" + id : "template:" + id;
    }
}
