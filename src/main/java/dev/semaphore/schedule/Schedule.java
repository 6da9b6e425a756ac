package dev.semaphore.schedule;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * A schedule in upstream's JSON shape ({@code type} "" runs on {@code cron_format}, "run_at" once at
 * {@code run_at}), with what we add: the zone it is read in, when it is due next and last ran, why
 * its last run did not happen, how many due times passed while no server ran, and the expression in
 * words.
 */
public record Schedule(long id, long projectId, long templateId, String name, String type, String cronFormat,
                       Instant runAt, boolean deleteAfterRun, String timezone, boolean active, Long repositoryId,
                       @JsonRawValue String taskParams, Instant nextRun, Instant lastRun, String lastError,
                       int missedRuns, String tplName, String cronDescription) {
    static final String CRON = "";
    static final String RUN_AT = "run_at";

    boolean oneTime() {
        return RUN_AT.equals(type);
    }

    Schedule described(String description) {
        return new Schedule(id, projectId, templateId, name, type, cronFormat, runAt, deleteAfterRun, timezone, active,
                repositoryId, taskParams, nextRun, lastRun, lastError, missedRuns, tplName, description);
    }
}
