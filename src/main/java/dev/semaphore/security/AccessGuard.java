package dev.semaphore.security;

import dev.semaphore.common.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.net.URI;
import java.util.Set;

/**
 * Runs before every matched route: authenticates, checks the route's {@link Access} rule and,
 * for project routes, membership and permission. A route that declares no rule is refused.
 */
public final class AccessGuard implements Handler {
    private final Authenticator authenticator;
    private final ProjectAccessResolver projects;

    public AccessGuard(Authenticator authenticator, ProjectAccessResolver projects) {
        this.authenticator = authenticator;
        this.projects = projects;
    }

    @Override
    public void handle(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            // Static files and the SPA fallback carry no rule and no data.
            if (ctx.path().startsWith(ctx.contextPath() + "/api")) {
                throw new ApiException(403, "route has no access rule");
            }
            return;
        }
        Access access = (Access) roles.iterator().next();
        if (access instanceof Access.Public) {
            // Login and logout set the cookie: another site must not sign a browser in or out. A request with no
            // browser signal comes from a script, not a page (a page cannot leave them out): its JSON body counts
            // whatever type it says (Python's urllib and Ansible's collection say a form's).
            if (!isSafe(ctx) && ctx.path().contains("/api/auth/")) {
                rejectCrossSite(ctx);
                if (fromABrowser(ctx)) {
                    requireJsonContent(ctx);
                }
            }
            return;
        }
        Principal principal = authenticator.authenticate(ctx)
                .orElseThrow(() -> ApiException.unauthorized(authenticator.owedFactor(ctx.cookie(Authenticator.COOKIE))
                        .orElse("not authenticated")));
        if (principal.viaCookie() && !isSafe(ctx)) {
            rejectCrossSite(ctx);
            requireJsonContent(ctx);
        }
        ctx.attribute(Caller.PRINCIPAL, principal);
        switch (access) {
            case Access.Admin admin -> {
                if (!principal.user().admin()) {
                    throw ApiException.forbidden("only an admin can do this");
                }
            }
            case Access.InProject rule -> checkProject(ctx, principal, rule);
            default -> {
            }
        }
    }

    private void checkProject(Context ctx, Principal principal, Access.InProject rule) {
        long projectId;
        try {
            projectId = Long.parseLong(ctx.pathParam("project_id"));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("project id must be a number");
        }
        // As upstream 2.19: a non-member is told the same as for a project that does not exist, so a stranger
        // learns nothing of which projects there are.
        ProjectAccess access = projects.resolve(projectId, principal.user())
                .orElseThrow(() -> ApiException.notFound("project " + projectId + " not found"));
        if (rule.forChanges() != null && (rule.forReadsToo() || !isSafe(ctx)) && !access.can(rule.forChanges())) {
            throw ApiException.forbidden("your role in this project does not allow this");
        }
        ctx.attribute(Caller.PROJECT, access);
    }

    /**
     * The body types a page of another site can send without asking first (HTML forms, text/plain
     * fetches) are refused: a browser's JSON request always says application/json.
     */
    private static void requireJsonContent(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) {
            return;
        }
        String base = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (base.equals("text/plain") || base.equals("application/x-www-form-urlencoded")
                || base.equals("multipart/form-data")) {
            throw new ApiException(415, "Content-Type must be application/json, not " + base);
        }
    }

    /** Whether a browser sent the request: browsers add Origin to every POST and Sec-Fetch-Site to every request. */
    private static boolean fromABrowser(Context ctx) {
        return ctx.header("Origin") != null || ctx.header("Sec-Fetch-Site") != null;
    }

    private static boolean isSafe(Context ctx) {
        String method = ctx.method().name();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    /**
     * Cookie-authenticated changes must come from our own pages, not from another site; so must a
     * websocket's upgrade. {@code Origin: null} (sandboxed frames, data: pages) is another site too.
     */
    public static void rejectCrossSite(Context ctx) {
        if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
            throw ApiException.forbidden("cross-site request refused");
        }
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if ("null".equals(origin)) {
            throw ApiException.forbidden("cross-site request refused (Origin: null)");
        }
        if (origin != null && host != null) {
            String originHost;
            try {
                originHost = URI.create(origin).getAuthority();
            } catch (IllegalArgumentException e) {
                originHost = null;
            }
            if (originHost == null || !originHost.equalsIgnoreCase(host)) {
                throw ApiException.forbidden("cross-site request refused");
            }
        }
    }
}
