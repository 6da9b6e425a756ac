package dev.semaphore.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.security.Access;
import dev.semaphore.task.dispatch.RemoteJobs;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Upstream's runner protocol under {@code /api/internal/runners}: {@code POST} registers (with the
 * server's registration token), and with the runner's own {@code X-Runner-Token}: {@code GET} its
 * state (new jobs and the statuses of its others), {@code PUT} its progress, {@code DELETE} itself.
 * Beyond upstream, a runner that sends {@code X-Runner-Wait: <seconds>} is answered as soon as there
 * is something new for it (up to that long), so a job is picked up within a fraction of a second;
 * upstream's runners, which poll every second, are answered at once as before. Ours also say their
 * version ({@code X-Runner-Version}) and system load ({@code X-Runner-Load}) for the admin page.
 */
public final class RunnerProtocolController implements RouteGroup {
    static final int MAX_WAIT_SECONDS = 25;

    private final RunnerService runners;
    private final RemoteJobs jobs;

    public RunnerProtocolController(RunnerService runners, RemoteJobs jobs) {
        this.runners = runners;
        this.jobs = jobs;
    }

    @Override
    public void register(Api api) {
        api.post("/internal/runners", Access.PUBLIC, ctx -> {
                    RunnerService.Registered made = runners.register(Requests.body(ctx));
                    ctx.json(Map.of("token", made.token()));
                })
                .get("/internal/runners", Access.PUBLIC, this::state)
                .put("/internal/runners", Access.PUBLIC, ctx -> {
                    Runner runner = runner(ctx);
                    JsonNode body;
                    try {
                        body = Json.mapper().readTree(ctx.body());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        throw ApiException.badRequest("Invalid format");
                    }
                    jobs.progress(runner.id(), body);
                    ctx.status(204);
                })
                .delete("/internal/runners", Access.PUBLIC, ctx -> {
                    runners.unregister(runner(ctx));
                    ctx.status(204);
                });
    }

    private void state(Context ctx) throws InterruptedException {
        Runner runner = runner(ctx);
        int wait = waitSeconds(ctx.header("X-Runner-Wait"));
        ObjectNode state = jobs.state(runner.id());
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        String first = state.toString();
        long polls = 0;
        while (wait > 0 && System.nanoTime() < deadline && runner.cleaningRequested() == null
                && state.path("new_jobs").isEmpty()) {
            Thread.sleep(100);
            if (++polls % 10 == 0) {
                // A runner holding its poll open is there: it must not look silent for the poll's length.
                runners.stillThere(runner);
            }
            state = jobs.state(runner.id());
            if (!state.toString().equals(first)) {
                break;
            }
        }
        if (runners.takeCleaningRequest(runner)) {
            state.put("clear_cache", true);
        }
        if (runner.publicKey() != null) {
            byte[] sealed = RunnerPayload.encrypt(RunnerPayload.publicKey(runner.publicKey()),
                    state.toString().getBytes(StandardCharsets.UTF_8));
            ctx.contentType("application/octet-stream").result(sealed);
        } else {
            ctx.json(state);
        }
    }

    private Runner runner(Context ctx) {
        String token = ctx.header("X-Runner-Token");
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized("Invalid token");
        }
        return runners.authenticate(token, ctx.header("X-Runner-Version"), ctx.header("X-Runner-Load"))
                .orElseThrow(() -> ApiException.notFound("Runner not found"));
    }

    private static int waitSeconds(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(MAX_WAIT_SECONDS, Integer.parseInt(header.strip())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
