package dev.semaphore.health;

import dev.semaphore.db.Database;
import dev.semaphore.security.Access;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Probes for load balancers and orchestrators, without signing in. {@code /api/health/live}: the process
 * answers (restart it when it does not). {@code /api/health/ready}: it can serve now: started (migrations
 * applied), its database answers within two seconds, and it is not draining for a stop; otherwise 503
 * with what is wrong, so a balancer sends requests elsewhere. {@code /api/ping} stays as upstream has it.
 */
public final class HealthController implements RouteGroup {
    private static final long DATABASE_WAIT_MS = 2_000;
    /** A probe that gives up leaves its query to end on its own thread, not the request's. */
    private static final java.util.concurrent.ExecutorService PROBES =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final CompletableFuture<?> started;
    private final Database db;
    private final BooleanSupplier draining;

    public HealthController(CompletableFuture<?> started, Database db, BooleanSupplier draining) {
        this.started = started;
        this.db = db;
        this.draining = draining;
    }

    @Override
    public void register(Api api) {
        api.get("/health/live", Access.PUBLIC, ctx -> ctx.json(Map.of("status", "up")))
                .get("/health/ready", Access.PUBLIC, this::ready);
    }

    private void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("start", !started.isDone() ? "starting"
                : started.isCompletedExceptionally() ? "failed" : "ok");
        checks.put("database", database());
        checks.put("tasks", draining.getAsBoolean() ? "draining" : "ok");
        boolean ready = checks.values().stream().allMatch("ok"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not ready");
        body.put("checks", checks);
        if (!ready) {
            body.put("error", "not ready: " + checks.entrySet().stream().filter(c -> !c.getValue().equals("ok"))
                    .map(c -> c.getKey() + " " + c.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        }
        ctx.status(ready ? 200 : 503).json(body);
    }

    private String database() {
        try {
            CompletableFuture.supplyAsync(() -> db.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()),
                    PROBES).get(DATABASE_WAIT_MS, TimeUnit.MILLISECONDS);
            return "ok";
        } catch (java.util.concurrent.TimeoutException e) {
            return "no answer within " + DATABASE_WAIT_MS + " ms";
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
