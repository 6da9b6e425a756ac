package dev.semaphore.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A schedule as a create or update request gives it, checked field by field. {@code task_params} is
 * upstream's object (environment, arguments, git_branch, message, inventory_id, params, ...), kept
 * as JSON and checked against the template like a task request.
 */
record ScheduleInput(long templateId, String name, String type, String cronFormat, Instant runAt,
                     boolean deleteAfterRun, String timezone, boolean active, Long repositoryId, String taskParams) {

    static ScheduleInput parse(JsonBody body, JsonNode raw) {
        long templateId = body.requiredLong("template_id");
        String name = body.optionalString("name").orElse("").strip();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String type = body.optionalString("type").orElse(Schedule.CRON);
        if (!type.equals(Schedule.CRON) && !type.equals(Schedule.RUN_AT)) {
            throw ApiException.badRequest("field 'type' must be \"\" (cron) or \"run_at\" (one time)");
        }
        String cron = body.optionalString("cron_format").orElse("").strip();
        Instant runAt = null;
        if (type.equals(Schedule.RUN_AT)) {
            String text = body.optionalString("run_at").orElseThrow(
                    () -> ApiException.badRequest("field 'run_at' is required for a one-time schedule"));
            try {
                runAt = Instant.parse(text).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("field 'run_at' must be a time such as 2026-12-01T08:00:00Z");
            }
        } else {
            timing(cron);
        }
        String zone = body.optionalString("timezone").orElse("").strip();
        if (!zone.isEmpty()) {
            try {
                ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw ApiException.badRequest("field 'timezone' must be an IANA time zone such as Europe/Berlin");
            }
        }
        Long repositoryId = body.optionalLong("repository_id").filter(id -> id > 0).orElse(null);
        JsonNode params = raw.get("task_params");
        if (params != null && !params.isNull() && !(params instanceof ObjectNode)) {
            throw ApiException.badRequest("field 'task_params' must be an object");
        }
        String taskParams = params instanceof ObjectNode object ? object.toString() : "{}";
        return new ScheduleInput(templateId, name, type, cron, runAt, body.bool("delete_after_run", false), zone,
                body.bool("active", true), repositoryId, taskParams);
    }

    /** The cron expression, or 400 naming the field and what is wrong. */
    static CronTiming timing(String cronFormat) {
        try {
            return CronTiming.parse(cronFormat);
        } catch (IllegalArgumentException e) {
            // "Cron:" first, as upstream's messages start: its clients match on it
            throw ApiException.badRequest("field 'cron_format': Cron: " + e.getMessage());
        }
    }

    /** The branch a schedule's task params name, or null for the repository's own. */
    static String branchOf(String taskParams) {
        String branch = Json.tree(taskParams).path("git_branch").asText("");
        return branch.isEmpty() ? null : branch;
    }

    static ScheduleInput of(Schedule s) {
        return new ScheduleInput(s.templateId(), s.name(), s.type(), s.cronFormat(), s.runAt(), s.deleteAfterRun(),
                s.timezone(), s.active(), s.repositoryId(), s.taskParams());
    }

    ScheduleInput activated() {
        return new ScheduleInput(templateId, name, type, cronFormat, runAt, deleteAfterRun, timezone, true,
                repositoryId, taskParams);
    }

    /** The task request a run sends: the task params with the template. */
    ObjectNode taskRequest() {
        ObjectNode request = Json.tree(taskParams) instanceof ObjectNode object ? object : Json.mapper().createObjectNode();
        request.put("template_id", templateId);
        return request;
    }
}
