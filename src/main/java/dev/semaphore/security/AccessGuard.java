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
            return;
        }
        Principal principal = authenticator.authenticate(ctx)
                .orElseThrow(() -> ApiException.unauthorized("not authenticated"));
        if (principal.viaCookie() && !isSafe(ctx)) {
            rejectCrossSite(ctx);
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
        // Like upstream, a non-member is told "forbidden" whether or not the project exists.
        ProjectAccess access = projects.resolve(projectId, principal.user())
                .orElseThrow(() -> principal.user().admin()
                        ? ApiException.notFound("project " + projectId + " not found")
                        : ApiException.forbidden("you are not a member of project " + projectId));
        if (rule.forChanges() != null && (rule.forReadsToo() || !isSafe(ctx)) && !access.can(rule.forChanges())) {
            throw ApiException.forbidden("your role in this project does not allow this");
        }
        ctx.attribute(Caller.PROJECT, access);
    }

    private static boolean isSafe(Context ctx) {
        String method = ctx.method().name();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }

    /** Cookie-authenticated changes must come from our own pages, not from another site. */
    private static void rejectCrossSite(Context ctx) {
        if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
            throw ApiException.forbidden("cross-site request refused");
        }
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && host != null && !origin.equals("null")) {
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
