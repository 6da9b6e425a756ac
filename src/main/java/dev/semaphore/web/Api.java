package dev.semaphore.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;

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

    /** A websocket route; {@code beforeUpgrade} may refuse the HTTP upgrade (to answer 401, say). */
    public Api ws(String path, RouteRole access, Handler beforeUpgrade, java.util.function.Consumer<WsConfig> ws) {
        routes.wsBeforeUpgrade("/api" + path, beforeUpgrade);
        routes.addWsHandler(WsHandlerType.WEBSOCKET, "/api" + path, ws, access);
        return this;
    }

    public Api delete(String path, RouteRole access, Handler handler) {
        routes.delete("/api" + path, handler, access);
        return this;
    }
}
