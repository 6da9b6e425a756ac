package dev.semaphore.task.job;

/**
 * Where jobs run: this server's own processes ({@code task.local}) now; remote runners plug in beside
 * it. An executor gets a complete {@link JobSpec} and reports through plain values (output lines,
 * stages, statuses, a pid), never through a local-only type.
 */
public interface Executor {
    /** Called once before the first job: clears what an earlier server left behind. */
    default void start() {
    }

    /** Runs a job to its end on the calling thread; its output goes to {@code output}, what it learns to {@code hooks}. */
    JobResult run(JobSpec spec, JobOutput output, JobHooks hooks) throws InterruptedException;

    /** Ends a job's processes ({@code force}: without waiting for them to clean up); false when it does not run here. */
    boolean kill(long taskId, boolean force);

    /** Answers a plan the job is paused on; false when no such pause is here. */
    boolean decide(long taskId, boolean confirmed);

    /**
     * A job's processes outlive a server killed outright: the restarted server hands over what the
     * dead one recorded (its launcher's pid and start time on this machine, and its cgroup or process
     * groups). Executors whose jobs run elsewhere have nothing to end here.
     */
    default void endLeftover(long taskId, long pid, String started, String group) {
    }
}
