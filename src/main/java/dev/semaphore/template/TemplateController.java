package dev.semaphore.template;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;

/** {@code /api/project/{id}/templates} and a view's templates. Reads for members, changes for managers and owners. */
public final class TemplateController implements RouteGroup {
    private final TemplateService templates;

    public TemplateController(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/templates";
        String one = base + "/{template_id}";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(templates.list(Caller.project(ctx).projectId(), ctx.queryParam("app"),
                        ctx.queryParam("sort"), ctx.queryParam("order"))))
                .post(base, access, ctx -> ctx.status(201).json(templates.create(Caller.user(ctx),
                        Caller.project(ctx).projectId(), input(ctx))))
                .get(one, access, ctx -> ctx.json(templates.getWithRuns(Caller.project(ctx).projectId(),
                        templateId(ctx))))
                .put(one, access, ctx -> {
                    templates.update(Caller.user(ctx), Caller.project(ctx).projectId(), templateId(ctx), input(ctx));
                    ctx.status(204);
                })
                .delete(one, access, ctx -> {
                    templates.delete(Caller.user(ctx), Caller.project(ctx).projectId(), templateId(ctx));
                    ctx.status(204);
                })
                .put(one + "/description", access, ctx -> {
                    String description = Requests.body(ctx).optionalString("description").orElse("");
                    templates.describe(Caller.user(ctx), Caller.project(ctx).projectId(), templateId(ctx), description);
                    ctx.status(204);
                })
                .get(one + "/refs", access, ctx -> ctx.json(templates.refs(Caller.project(ctx).projectId(),
                        templateId(ctx))))
                .post(one + "/inventory/{inventory_id}/attach", access, ctx -> workspace(ctx,
                        TemplateService.WorkspaceChange.ATTACH))
                .post(one + "/inventory/{inventory_id}/detach", access, ctx -> workspace(ctx,
                        TemplateService.WorkspaceChange.DETACH))
                .post(one + "/inventory/{inventory_id}/set_default", access, ctx -> workspace(ctx,
                        TemplateService.WorkspaceChange.SET_DEFAULT))
                .get("/project/{project_id}/views/{view_id}/templates", access, ctx -> ctx.json(templates.inView(
                        Caller.project(ctx).projectId(), Requests.idParam(ctx, "view_id"))));
    }

    private void workspace(Context ctx, TemplateService.WorkspaceChange change) {
        templates.workspace(Caller.user(ctx), Caller.project(ctx).projectId(), templateId(ctx),
                Requests.idParam(ctx, "inventory_id"), change);
        ctx.status(204);
    }

    private static long templateId(Context ctx) {
        return Requests.idParam(ctx, "template_id");
    }

    private TemplateInput input(Context ctx) {
        JsonBody body = Requests.body(ctx);
        try {
            return TemplateInput.parse(body, Json.mapper().readTree(ctx.body()), templates.apps());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
    }
}
