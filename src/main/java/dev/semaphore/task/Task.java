package dev.semaphore.task;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A task in upstream's JSON shape (list rows carry the template's name and app, as upstream's do), with
 * the runner it was given to; {@code waiting_reason} (ours) says why a queued task waits for a runner.
 */
public record Task(long id, long templateId, long projectId, String status, Long userId, String message,
                   String playbook, String environment, String arguments, String gitBranch,
                   @JsonRawValue String params, String commitHash, String commitMessage, Instant created,
                   Instant start, Instant end, String version, Long buildTaskId, Long inventoryId, Long scheduleId,
                   Long integrationId, String tplAlias, String tplApp, String tplPlaybook,
                   String tplType, String userName, Long runnerId, BuildTask buildTask,
                   @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                   String waitingReason) {

    /** Upstream's deprecated {@code limit}: the hosts of {@code params.limit}, comma-separated ("" for none). */
    @com.fasterxml.jackson.annotation.JsonProperty("limit")
    public String limit() {
        java.util.List<String> hosts = new java.util.ArrayList<>();
        dev.semaphore.common.Json.tree(params).path("limit").forEach(h -> hosts.add(h.asText()));
        return String.join(",", hosts);
    }

    /** Upstream's {@code build_task}: the build a deploy brings the version of. */
    public record BuildTask(long id, long templateId, String status, String version) {
    }

    /** The status as the state machine knows it. */
    public TaskStatus state() {
        return TaskStatus.of(status);
    }
}
