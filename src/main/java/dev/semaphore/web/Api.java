package dev.semaphore.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;

/** Registers routes under {@code /api}, each with the access rule it must declare. */
public final class Api {
    private final RoutesConfig routes;

    Api(RoutesConfig routes) {
        this.routes = routes;
    }

    public Api get(String path, RouteRole access, Handler handler) {
        routes.get("/api" + path, handler, access);
        routes.head("/api" + path, handler, access);
        return this;
    }

    public Api post(String path, RouteRole access, Handler handler) {
        routes.post("/api" + path, handler, access);
        return this;
    }

    public Api put(String path, RouteRole access, Handler handler) {
        routes.put("/api" + path, handler, access);
        return this;
    }

    public Api delete(String path, RouteRole access, Handler handler) {
        routes.delete("/api" + path, handler, access);
        return this;
    }
}
