package dev.semaphore.web;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: Javalin on Jetty with virtual threads, our routes, guard and error bodies. */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Javalin app;

    /** Paths that are served before the start is done: {@code /api/health/...}. */
    private static final List<String> EARLY = List.of("/api/health/live", "/api/health/ready");
    private static final String STARTED_AT = "semaphore.started";

    /**
     * Sent with every response. The UI runs no inline script (Vite's build loads modules only); Mantine
     * and xterm.js set style attributes, hence styles may be inline. No page may frame ours.
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                    + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin");

    /** Told of every answered request: method, route pattern ("unmatched" for none), status, duration. */
    public interface RequestObserver {
        void request(String method, String route, int status, long nanos);
    }

    private final Tls tls;
    private final List<Api.Route> routes = new java.util.ArrayList<>();
    private volatile String listenHost;
    private volatile int listenPort;

    /**
     * @param maxRequestSize the largest request body taken (413 beyond)
     * @param tls HTTPS in place of HTTP (null: plain HTTP)
     */
    public HttpServer(String contextPath, List<RouteGroup> groups, Handler guard, CompletableFuture<?> ready,
                      long maxRequestSize, RequestObserver observer, Tls tls) {
        this.tls = tls;
        WebUi ui = new WebUi(contextPath);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.router.ignoreTrailingSlashes = true;
            config.router.treatMultipleSlashesAsSingleSlash = true;
            config.router.contextPath = contextPath.isEmpty() ? "/" : contextPath;
            config.http.defaultContentType = "application/json";
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            config.http.maxRequestSize = maxRequestSize;
            config.jsonMapper(new JacksonJsonMapper(Json.mapper()));
            // Sign-ins are our own cookie; a servlet session is never wanted. Javalin opens one at each
            // websocket upgrade (to copy its attributes): it is kept nowhere and never sent as a cookie.
            config.jetty.modifyServletContextHandler(handler -> {
                org.eclipse.jetty.ee10.servlet.SessionHandler sessions = handler.getSessionHandler();
                if (sessions != null) {
                    sessions.setUsingCookies(false);
                    org.eclipse.jetty.session.NullSessionCache none = new org.eclipse.jetty.session.NullSessionCache(sessions);
                    none.setSessionDataStore(new org.eclipse.jetty.session.NullSessionDataStore());
                    sessions.setSessionCache(none);
                }
            });
            if (tls != null) {
                tls.addConnectors(config.jetty, () -> listenHost, () -> listenPort);
            }
            config.routes.before(ctx -> {
                ctx.attribute(STARTED_AT, System.nanoTime());
                SECURITY_HEADERS.forEach(ctx::header);
                if (tls != null) {
                    if (!ctx.req().isSecure() && !tls.servesPlain(ctx.req().getLocalPort(), ctx.path())) {
                        // The redirect port serves nothing else.
                        ctx.header("Location", tls.httpsUrl(ctx.header("Host"), ctx.path(), ctx.queryString()));
                        ctx.status(307).skipRemainingHandlers();
                        return;
                    }
                    if (ctx.req().isSecure()) {
                        ctx.header("Strict-Transport-Security", "max-age=31536000");
                    }
                }
            });
            config.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED_AT);
                if (started != null) {
                    var endpoint = ctx.endpoints().lastHttpEndpoint();
                    observer.request(ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path,
                            ctx.statusCode(), System.nanoTime() - started);
                }
            });
            // Health probes answer at once: "starting" is an answer too.
            config.routes.before(ctx -> {
                if (EARLY.stream().noneMatch(ctx.path()::endsWith)) {
                    awaitReady(ready);
                }
            });
            config.routes.before("/api/*", ctx -> {
                // Terraform states and webhook deliveries are not ours to judge.
                if (!ctx.path().contains("/terraform/") && !ctx.path().contains("/api/integrations/")) {
                    NulCharacters.check(ctx);
                }
            });
            config.routes.beforeMatched(guard);
            Api api = new Api(config.routes, routes);
            groups.forEach(group -> group.register(api));
            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.fields().isEmpty()) {
                    error(ctx, e.status(), e.getMessage());
                } else {
                    Map<String, Object> body = new java.util.LinkedHashMap<>();
                    body.put("error", e.getMessage());
                    body.putAll(e.fields());
                    ctx.status(e.status()).json(body);
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (valueTooLong(e)) {
                    // A field no check above knew: still the caller's mistake, said as such, never a 500.
                    error(ctx, 400, "a value in the request is longer than its field keeps");
                    return;
                }
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal server error");
            });
            // Our own 404s already carry {"error": ...}; Javalin's "no such route" does not. A path
            // no route took may be the web UI's.
            config.routes.error(404, ctx -> {
                if (!isErrorBody(ctx.result()) && !ui.serve(ctx)) {
                    error(ctx, 404, "not found: " + ctx.method() + " " + ctx.path());
                }
            });
            config.routes.error(405, ctx -> error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
        });
    }

    private static void awaitReady(CompletableFuture<?> ready) {
        if (!ready.isDone()) {
            try {
                ready.join();
            } catch (CompletionException e) {
                throw new ApiException(503, "server is not ready: " + e.getCause().getMessage());
            }
        }
    }

    /** SQLState 22001: PostgreSQL's and MySQL's "value too long for the column". */
    private static boolean valueTooLong(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "22001".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isErrorBody(String body) {
        return body != null && body.startsWith("{\"error\"");
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message));
    }

    /** Every route under /api, as registered. */
    public List<Api.Route> routes() {
        return List.copyOf(routes);
    }

    public HttpServer start(String host, int port) {
        listenHost = host == null || host.isEmpty() ? "0.0.0.0" : host;
        listenPort = port;
        app.start(listenHost, port);
        return this;
    }

    /** The plain-HTTP port on loopback where tasks on this machine reach the Terraform state backend. */
    public int loopbackPort() {
        return tls == null ? port() : tls.loopbackPort();
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
        if (tls != null) {
            tls.close();
        }
    }
}
