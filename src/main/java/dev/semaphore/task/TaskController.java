package dev.semaphore.task;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/project/{id}/tasks} and a template's tasks. Members read; running and stopping needs task rights. */
public final class TaskController implements RouteGroup {
    private static final int LAST = 200;
    private static final int MAX_OUTPUT_PAGE = 100_000;

    private final TaskService tasks;

    public TaskController(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/tasks";
        String one = base + "/{task_id}";
        Access run = Access.project(Permission.RUN_TASKS);
        api.get("/tasks", Access.ADMIN, ctx -> ctx.json(tasks.queue()))
                // Upstream answers the same list here, whichever task is named.
                .get("/tasks/{task_id}", Access.ADMIN, ctx -> ctx.json(tasks.queue()))
                .delete("/tasks/{task_id}", Access.ADMIN, ctx -> {
                    tasks.stopAnywhere(Caller.user(ctx), Requests.idParam(ctx, "task_id"));
                    ctx.status(204);
                })
                .post(base, run, this::create)
                .get(base, run, ctx -> page(ctx, filter(ctx, null, 1000)))
                .get(base + "/last", run, ctx -> page(ctx, filter(ctx, null, LAST)))
                .get(one, run, ctx -> ctx.json(tasks.get(project(ctx), task(ctx))))
                .delete(one, Access.project(Permission.MANAGE_RESOURCES), ctx -> {
                    tasks.delete(Caller.user(ctx), project(ctx), task(ctx));
                    ctx.status(204);
                })
                .get(one + "/output", run, ctx -> ctx.json(tasks.output(project(ctx), task(ctx),
                        Requests.intQuery(ctx, "offset", 0, Integer.MAX_VALUE),
                        Requests.intQuery(ctx, "limit", MAX_OUTPUT_PAGE, MAX_OUTPUT_PAGE))))
                .get(one + "/raw_output", run, ctx -> {
                    ctx.contentType("text/plain; charset=utf-8");
                    tasks.rawOutput(project(ctx), task(ctx), ctx.outputStream());
                })
                .get(one + "/stages", run, ctx -> ctx.json(tasks.stages(project(ctx), task(ctx))))
                .get(one + "/ansible/hosts", run, ctx -> ctx.json(tasks.ansible(project(ctx), task(ctx), "hosts")))
                .get(one + "/ansible/errors", run, ctx -> ctx.json(tasks.ansible(project(ctx), task(ctx), "errors")))
                .post(one + "/stop", run, ctx -> {
                    boolean force = ctx.body().isBlank() ? false : Requests.body(ctx).bool("force", false);
                    tasks.stop(Caller.user(ctx), project(ctx), task(ctx), force);
                    ctx.status(204);
                })
                .post(one + "/confirm", run, ctx -> {
                    tasks.decide(Caller.user(ctx), project(ctx), task(ctx), true);
                    ctx.status(204);
                })
                .post(one + "/reject", run, ctx -> {
                    tasks.decide(Caller.user(ctx), project(ctx), task(ctx), false);
                    ctx.status(204);
                })
                .post("/project/{project_id}/templates/{template_id}/stop_all_tasks",
                        Access.project(Permission.MANAGE_RESOURCES), ctx -> {
                            boolean force = !ctx.body().isBlank() && Requests.body(ctx).bool("force", false);
                            tasks.stopAll(Caller.user(ctx), project(ctx), Requests.idParam(ctx, "template_id"), force);
                            ctx.status(204);
                        })
                .get("/project/{project_id}/stats", run, ctx -> ctx.json(tasks.stats(project(ctx), TaskStats.Query.of(
                        optionalId(ctx, "template_id"), optionalId(ctx, "user_id"), ctx.queryParam("start"),
                        ctx.queryParam("end")))))
                .get("/project/{project_id}/templates/{template_id}/stats", run, ctx -> ctx.json(tasks.stats(
                        project(ctx), TaskStats.Query.of(Requests.idParam(ctx, "template_id"), optionalId(ctx, "user_id"),
                                ctx.queryParam("start"), ctx.queryParam("end")))))
                .get("/project/{project_id}/templates/{template_id}/tasks", run, ctx -> page(ctx,
                        filter(ctx, Requests.idParam(ctx, "template_id"), 1000)))
                .get("/project/{project_id}/templates/{template_id}/tasks/last", run, ctx -> page(ctx,
                        filter(ctx, Requests.idParam(ctx, "template_id"), LAST)));
    }

    private void create(Context ctx) {
        try {
            ctx.status(201).json(tasks.enqueue(project(ctx), Json.mapper().readTree(ctx.body()),
                    new TaskTrigger.ByUser(Caller.user(ctx))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
    }

    /** Upstream lists a project's newest tasks; {@code template_id}, {@code status}, {@code user_id}, {@code offset} and {@code limit} narrow it. */
    /**
     * The list's query: {@code template_id} (unless the path names the template), {@code status}, {@code user_id},
     * and a page: {@code count} (upstream's; {@code limit} ours, at most {@code most}) tasks before the task id
     * {@code before} (upstream's keyset paging) or after {@code offset} others.
     */
    private static TaskStore.Filter filter(Context ctx, Long template, int most) {
        int count = ctx.queryParam("count") != null ? Requests.intQuery(ctx, "count", most, most)
                : Requests.intQuery(ctx, "limit", most, most);
        return new TaskStore.Filter(template != null ? template : optionalId(ctx, "template_id"),
                blankToNull(ctx.queryParam("status")), optionalId(ctx, "user_id"),
                Requests.intQuery(ctx, "offset", 0, Integer.MAX_VALUE), count, optionalId(ctx, "before"));
    }

    /** One page of tasks, and upstream's {@code X-Has-Next} saying whether older ones follow. */
    private void page(Context ctx, TaskStore.Filter filter) {
        List<Task> found = tasks.list(project(ctx), filter.withLimit(filter.limit() + 1));
        boolean more = found.size() > filter.limit();
        ctx.header("X-Has-Next", Boolean.toString(more));
        ctx.json(more ? found.subList(0, filter.limit()) : found);
    }

    private static Long optionalId(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query parameter '" + name + "' must be a number");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }

    private static long task(Context ctx) {
        return Requests.idParam(ctx, "task_id");
    }
}
