package dev.semaphore.security;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route declares exactly one; {@link AccessGuard} enforces it before
 * the handler runs, so a route without a rule cannot be reached at all.
 */
public sealed interface Access extends RouteRole {
    /** Anyone, signed in or not. */
    Access PUBLIC = new Public();
    /** Any signed-in user. */
    Access USER = new AnyUser();
    /** Admins only. */
    Access ADMIN = new Admin();

    /** Members of the project in the path; changes (not GET/HEAD) also need {@code permission}. */
    static Access project(Permission permission) {
        return new InProject(permission);
    }

    /** Any member of the project in the path, for reads and changes alike (rules in the service). */
    static Access projectMember() {
        return new InProject(null);
    }

    /** Members of the project in the path with {@code permission}, for reads too (for what holds secrets). */
    static Access projectOnly(Permission permission) {
        return new InProject(permission, true);
    }

    record Public() implements Access {
    }

    record AnyUser() implements Access {
    }

    record Admin() implements Access {
    }

    record InProject(Permission forChanges, boolean forReadsToo) implements Access {
        InProject(Permission forChanges) {
            this(forChanges, false);
        }
    }
}
