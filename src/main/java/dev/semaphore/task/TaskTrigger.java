package dev.semaphore.task;

import dev.semaphore.user.User;

/** Who or what queued a task; recorded on it (user_id, build_task_id, schedule_id, integration_id). */
public sealed interface TaskTrigger {
    /** A person or API client. */
    record ByUser(User user) implements TaskTrigger {
    }

    /** A build's success starting a deploy marked autorun; the deploy carries the build's version. */
    record ByBuild(Task build) implements TaskTrigger {
    }

    record BySchedule(long scheduleId) implements TaskTrigger {
    }

    /**
     * A webhook delivery. {@code variables}: the names the integration's managers set (its extracted values' and
     * its task params' environment), which reach the task as survey variables do; only their values are the caller's.
     */
    record ByIntegration(long integrationId, java.util.Set<String> variables) implements TaskTrigger {
    }

    /** How the activity log says who queued it. */
    default String describe() {
        return switch (this) {
            case ByUser(User user) -> "by " + user.username();
            case ByBuild(Task build) -> "by build task " + build.id();
            case BySchedule(long id) -> "by schedule " + id;
            case ByIntegration(long id, var variables) -> "by integration " + id;
        };
    }
}
