package dev.semaphore.schedule;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.Permission;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/project/{id}/schedules} and a template's schedules. Reads for members, changes for managers and owners. */
public final class ScheduleController implements RouteGroup {
    private final ScheduleService schedules;
    private final java.time.Clock clock;

    public ScheduleController(ScheduleService schedules, java.time.Clock clock) {
        this.schedules = schedules;
        this.clock = clock;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/schedules";
        String one = base + "/{schedule_id}";
        Access access = Access.project(Permission.MANAGE_RESOURCES);
        api.get(base, access, ctx -> ctx.json(schedules.list(project(ctx))))
                .post(base, access, ctx -> ctx.status(201).json(schedules.create(Caller.user(ctx), project(ctx),
                        input(ctx))))
                .post(base + "/validate", access, ctx -> ctx.json(validate(Requests.body(ctx))))
                .get(one, access, ctx -> ctx.json(schedules.get(project(ctx), id(ctx))))
                .put(one, access, ctx -> {
                    schedules.update(Caller.user(ctx), project(ctx), id(ctx), input(ctx));
                    ctx.status(204);
                })
                .put(one + "/active", access, ctx -> {
                    JsonBody body = Requests.body(ctx);
                    if (!body.has("active")) {
                        throw ApiException.badRequest("field 'active' is required");
                    }
                    schedules.setActive(Caller.user(ctx), project(ctx), id(ctx), body.bool("active", true));
                    ctx.status(204);
                })
                .delete(one, access, ctx -> {
                    schedules.delete(Caller.user(ctx), project(ctx), id(ctx));
                    ctx.status(204);
                })
                .get("/project/{project_id}/templates/{template_id}/schedules", access, ctx -> ctx.json(
                        schedules.ofTemplate(project(ctx), Requests.idParam(ctx, "template_id"))));
    }

    /** 200 with the expression in words and its next five due times, or 400 saying what is wrong. */
    private Map<String, Object> validate(JsonBody body) {
        String cron = body.optionalString("cron_format").orElse("");
        CronTiming timing = ScheduleInput.timing(cron);
        String zone = body.optionalString("timezone").orElse("");
        java.time.ZoneId zoneId;
        try {
            zoneId = schedules.zoneOf(zone);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("field 'timezone' must be an IANA time zone such as Europe/Berlin");
        }
        List<Instant> next = new ArrayList<>();
        Instant at = clock.instant();
        for (int i = 0; i < 5; i++) {
            at = timing.next(at, zoneId);
            next.add(at);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cron_format", cron);
        result.put("description", timing.describe());
        result.put("timezone", zoneId.getId());
        result.put("next_runs", next);
        return result;
    }

    private static ScheduleInput input(Context ctx) {
        JsonBody body = Requests.body(ctx);
        try {
            return ScheduleInput.parse(body, dev.semaphore.common.Json.mapper().readTree(ctx.body()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
    }

    private static long project(Context ctx) {
        return Caller.project(ctx).projectId();
    }

    private static long id(Context ctx) {
        return Requests.idParam(ctx, "schedule_id");
    }
}
