package dev.semaphore.integration;

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
import java.util.List;
import java.util.Map;

/**
 * {@code /api/project/{id}/integrations} (their matchers, extracted values, aliases and recorded
 * deliveries; reading them needs the permission to manage resources, as upstream) and the public
 * receiver {@code /api/integrations/{alias}}.
 */
public final class IntegrationController implements RouteGroup {
    private final IntegrationService integrations;
    private final IntegrationReceiver receiver;
    private final String webHost;
    private final long maxBodyBytes;

    /**
     * @param webHost web_host: where alias URLs point ("" for the address a request came to)
     * @param maxBodyBytes the largest delivery taken (413 beyond)
     */
    public IntegrationController(IntegrationService integrations, IntegrationReceiver receiver, String webHost,
                                 long maxBodyBytes) {
        this.integrations = integrations;
        this.receiver = receiver;
        this.webHost = webHost.replaceAll("/$", "");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/integrations";
        String one = base + "/{integration_id}";
        // As upstream, every member reads integrations, their matchers and values; managers change them. An alias
        // is the only credential of an integration without auth, and deliveries hold what callers sent: managers'.
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        Access managers = Access.projectOnly(Permission.MANAGE_RESOURCES);
        api.get("/integrations/{alias}", Access.PUBLIC, this::receive)
                .post("/integrations/{alias}", Access.PUBLIC, this::receive)
                .get(base + "/aliases", managers, ctx -> ctx.json(urls(ctx, integrations.aliases(project(ctx), null))))
                .post(base + "/aliases", access, ctx -> ctx.status(200).json(url(ctx,
                        integrations.addAlias(Caller.user(ctx), project(ctx), null))))
                .delete(base + "/aliases/{alias_id}", access, ctx -> {
                    integrations.deleteAlias(Caller.user(ctx), project(ctx), null, Requests.idParam(ctx, "alias_id"));
                    ctx.status(204);
                })
                .get(base, access, ctx -> ctx.json(integrations.list(project(ctx))))
                .post(base, access, ctx -> ctx.status(201).json(integrations.create(Caller.user(ctx), project(ctx),
                        IntegrationInput.integration(Requests.body(ctx), raw(ctx)))))
                .get(one, access, ctx -> ctx.json(integrations.get(project(ctx), id(ctx))))
                .put(one, access, ctx -> {
                    integrations.update(Caller.user(ctx), project(ctx), id(ctx),
                            IntegrationInput.integration(Requests.body(ctx), raw(ctx)));
                    ctx.status(204);
                })
                .delete(one, access, ctx -> {
                    integrations.delete(Caller.user(ctx), project(ctx), id(ctx));
                    ctx.status(204);
                })
                .get(one + "/refs", access, ctx -> ctx.json(integrations.refs(project(ctx), id(ctx))))
                .get(one + "/deliveries", managers, ctx -> ctx.json(integrations.deliveries(project(ctx), id(ctx),
                        Requests.intQuery(ctx, "limit", 100, 1000))))
                // Upstream answers 200 here, not 201.
                .get(one + "/matchers", access, ctx -> ctx.json(integrations.matchers(project(ctx), id(ctx))))
                .post(one + "/matchers", access, ctx -> ctx.json(integrations.addMatcher(Caller.user(ctx),
                        project(ctx), id(ctx), IntegrationInput.matcher(Requests.body(ctx)))))
                .get(one + "/matchers/{matcher_id}", access, ctx -> ctx.json(integrations.matcher(project(ctx), id(ctx),
                        Requests.idParam(ctx, "matcher_id"))))
                .get(one + "/matchers/{matcher_id}/refs", access, ctx -> {
                    integrations.matcher(project(ctx), id(ctx), Requests.idParam(ctx, "matcher_id"));
                    ctx.json(integrations.refs(project(ctx), id(ctx)));
                })
                .put(one + "/matchers/{matcher_id}", access, ctx -> {
                    integrations.updateMatcher(Caller.user(ctx), project(ctx), id(ctx),
                            Requests.idParam(ctx, "matcher_id"), IntegrationInput.matcher(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(one + "/matchers/{matcher_id}", access, ctx -> {
                    integrations.deleteMatcher(Caller.user(ctx), project(ctx), id(ctx),
                            Requests.idParam(ctx, "matcher_id"));
                    ctx.status(204);
                })
                .get(one + "/values", access, ctx -> ctx.json(integrations.values(project(ctx), id(ctx))))
                .post(one + "/values", access, ctx -> ctx.status(201).json(integrations.addValue(Caller.user(ctx),
                        project(ctx), id(ctx), IntegrationInput.value(Requests.body(ctx)))))
                .get(one + "/values/{value_id}", access, ctx -> ctx.json(integrations.value(project(ctx), id(ctx),
                        Requests.idParam(ctx, "value_id"))))
                .get(one + "/values/{value_id}/refs", access, ctx -> {
                    integrations.value(project(ctx), id(ctx), Requests.idParam(ctx, "value_id"));
                    ctx.json(integrations.refs(project(ctx), id(ctx)));
                })
                .put(one + "/values/{value_id}", access, ctx -> {
                    integrations.updateValue(Caller.user(ctx), project(ctx), id(ctx), Requests.idParam(ctx, "value_id"),
                            IntegrationInput.value(Requests.body(ctx)));
                    ctx.status(204);
                })
                .delete(one + "/values/{value_id}", access, ctx -> {
                    integrations.deleteValue(Caller.user(ctx), project(ctx), id(ctx), Requests.idParam(ctx, "value_id"));
                    ctx.status(204);
                })
                .get(one + "/aliases", managers, ctx -> ctx.json(urls(ctx, integrations.aliases(project(ctx), id(ctx)))))
                .post(one + "/aliases", access, ctx -> ctx.status(200).json(url(ctx,
                        integrations.addAlias(Caller.user(ctx), project(ctx), id(ctx)))))
                .delete(one + "/aliases/{alias_id}", access, ctx -> {
                    integrations.deleteAlias(Caller.user(ctx), project(ctx), id(ctx), Requests.idParam(ctx, "alias_id"));
                    ctx.status(204);
                });
    }

    /**
     * Always 204, as upstream: a caller learns neither whether the alias exists nor what matched; one whose
     * delivery queued a task is told which (upstream's {@code X-Semaphore-*-ID} headers).
     */
    private void receive(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > maxBodyBytes) {
            throw new ApiException(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBodyBytes) {
            throw new ApiException(413, "the body is larger than " + maxBodyBytes + " bytes");
        }
        List<IntegrationReceiver.Queued> queued = receiver.receive(ctx.pathParam("alias"),
                new IntegrationReceiver.Request(ctx.method().name(), ctx.headerMap(), body));
        if (!queued.isEmpty()) {
            // Upstream's headers, for the (first) task the delivery queued: only a caller it accepted learns them.
            IntegrationReceiver.Queued first = queued.get(0);
            ctx.header("X-Semaphore-Task-ID", Long.toString(first.taskId()))
                    .header("X-Semaphore-Template-ID", Long.toString(first.templateId()))
                    .header("X-Semaphore-Project-ID", Long.toString(first.projectId()))
                    .header("X-Semaphore-Integration-ID", Long.toString(first.integrationId()));
        }
        ctx.status(204);
    }

    private List<Map<String, Object>> urls(Context ctx, List<IntegrationStore.Alias> aliases) {
        return aliases.stream().map(a -> url(ctx, a)).toList();
    }

    private Map<String, Object> url(Context ctx, IntegrationStore.Alias alias) {
        String root = webHost.isEmpty() ? ctx.scheme() + "://" + ctx.host() + ctx.contextPath().replaceAll("/$", "")
                : webHost;
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", alias.id());
        shown.put("alias", alias.alias());
        shown.put("url", root + "/api/integrations/" + alias.alias());
        return shown;
    }

    private static com.fasterxml.jackson.databind.JsonNode raw(Context ctx) {
        try {
            return Json.mapper().readTree(ctx.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }

    private static long id(Context ctx) {
        return Requests.idParam(ctx, "integration_id");
    }
}
