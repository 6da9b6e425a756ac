package dev.semaphore.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;

/** Registers routes under {@code /api}, each with the access rule it must declare, and lists them. */
public final class Api {
    /** A registered route: method (GET stands for its HEAD too; WS for a websocket) and path under /api. */
    public record Route(String method, String path, RouteRole access) {
    }

    private final RoutesConfig routes;
    private final java.util.List<Route> registered;

    /** @param registered where each route is listed as it is registered */
    Api(RoutesConfig routes, java.util.List<Route> registered) {
        this.routes = routes;
        this.registered = registered;
    }

    public Api get(String path, RouteRole access, Handler handler) {
        registered.add(new Route("GET", path, access));
        routes.get("/api" + path, handler, access);
        routes.head("/api" + path, handler, access);
        return this;
    }

    public Api post(String path, RouteRole access, Handler handler) {
        registered.add(new Route("POST", path, access));
        routes.post("/api" + path, handler, access);
        return this;
    }

    public Api put(String path, RouteRole access, Handler handler) {
        registered.add(new Route("PUT", path, access));
        routes.put("/api" + path, handler, access);
        return this;
    }

    /** A websocket route; {@code beforeUpgrade} may refuse the HTTP upgrade (to answer 401, say). */
    public Api ws(String path, RouteRole access, Handler beforeUpgrade, java.util.function.Consumer<WsConfig> ws) {
        registered.add(new Route("WS", path, access));
        routes.wsBeforeUpgrade("/api" + path, beforeUpgrade);
        routes.addWsHandler(WsHandlerType.WEBSOCKET, "/api" + path, ws, access);
        return this;
    }

    /** A route of a method HTTP itself does not name (Terraform's HTTP backend sends LOCK and UNLOCK). */
    public Api method(String method, String path, RouteRole access, Handler handler) {
        registered.add(new Route(method, path, access));
        routes.addEndpoint(new io.javalin.router.Endpoint(io.javalin.http.HandlerType.findOrCreate(method), "/api" + path,
                handler, java.util.Set.of(new io.javalin.security.Roles(java.util.Set.of(access)))));
        return this;
    }

    public Api delete(String path, RouteRole access, Handler handler) {
        registered.add(new Route("DELETE", path, access));
        routes.delete("/api" + path, handler, access);
        return this;
    }
}
