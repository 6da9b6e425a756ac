package dev.semaphore.security;

import dev.semaphore.user.User;
import io.javalin.http.Context;

/** What {@link AccessGuard} learned about the current request, for handlers to read. */
public final class Caller {
    static final String PRINCIPAL = "semaphore.principal";
    static final String PROJECT = "semaphore.project";

    private Caller() {
    }

    public static User user(Context ctx) {
        return principal(ctx).user();
    }

    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("route reached without authentication: " + ctx.path());
        }
        return principal;
    }

    public static ProjectAccess project(Context ctx) {
        ProjectAccess access = ctx.attribute(PROJECT);
        if (access == null) {
            throw new IllegalStateException("route has no project access rule: " + ctx.path());
        }
        return access;
    }
}
