package dev.semaphore.task.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * The remote runners the dispatcher may give tasks to (the {@code runner} feature answers): which one
 * should take a task of a project with a tag, and which have gone quiet.
 */
public interface RunnerPool {
    /** A runner for a task, or why there is none now ({@code busy}: one will be free later). */
    record Choice(Long runnerId, String reason, boolean busy) {
        public static Choice of(long runnerId) {
            return new Choice(runnerId, null, false);
        }

        public static Choice none(String reason) {
            return new Choice(null, reason, false);
        }

        public static Choice busy(String reason) {
            return new Choice(null, reason, true);
        }
    }

    Choice choose(long projectId, String tag);

    /** Runners that have not asked for work since {@code before} (or never). */
    List<Long> silentSince(Instant before);

    /** How a runner is named in a task's log and reasons. */
    String name(long runnerId);

    /** False for a runner deleted since it was given a task. */
    boolean exists(long runnerId);

    /**
     * Tells a runner's webhook (if it has one) that it was given a task ({@code start}) or that the task
     * ended ({@code finish}), as upstream does, so a runner can be started on demand.
     */
    default void notify(long runnerId, String action, long projectId, long taskId, long templateId) {
    }

    /** A server without runners. */
    RunnerPool NONE = new RunnerPool() {
        @Override
        public Choice choose(long projectId, String tag) {
            return Choice.none("no runner is registered");
        }

        @Override
        public List<Long> silentSince(Instant before) {
            return List.of();
        }

        @Override
        public String name(long runnerId) {
            return "#" + runnerId;
        }

        @Override
        public boolean exists(long runnerId) {
            return false;
        }
    };
}
