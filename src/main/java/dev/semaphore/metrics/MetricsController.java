package dev.semaphore.metrics;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Upstream's {@code GET /api/metrics} (2.20): Prometheus text, behind {@code metrics.enabled} and, when
 * {@code metrics.username} is set, HTTP Basic with {@code metrics.password}; 401 otherwise, as upstream.
 */
public final class MetricsController implements RouteGroup {
    /** {@code metrics.*}: whether the route serves, and the Basic credentials it wants (none: open). */
    public record Settings(boolean enabled, String username, String password) {
    }

    private final Metrics metrics;
    private final Settings settings;

    public MetricsController(Metrics metrics, Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void register(Api api) {
        api.get("/metrics", Access.PUBLIC, this::scrape);
    }

    private void scrape(Context ctx) {
        if (!settings.enabled()) {
            throw new ApiException(401, "metrics are off: set metrics.enabled (SEMAPHORE_METRICS_ENABLED)");
        }
        if (!settings.username().isEmpty() && !authorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"metrics\", charset=\"UTF-8\"");
            throw new ApiException(401, "metrics need the metrics.username and metrics.password (HTTP Basic)");
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        String expected = settings.username() + ":" + settings.password();
        return MessageDigest.isEqual(pair.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
