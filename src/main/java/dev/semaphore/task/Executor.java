package dev.semaphore.task;

/**
 * Where jobs run: this server's own processes ({@link LocalExecutor}) now; remote runners plug in
 * beside it. An executor gets a fully prepared {@link JobSpec} and reports through plain values
 * (output lines, stages, statuses, a pid), never through a local-only type.
 */
interface Executor {
    /** Runs a job to its end on the calling thread; its output goes to {@code sink}, what it learns to {@code hooks}. */
    LocalJob.Result run(JobSpec spec, LogSink sink, LocalJob.Hooks hooks) throws InterruptedException;

    /** Ends a job's processes ({@code force}: without waiting for them to clean up); false when it does not run here. */
    boolean kill(long taskId, boolean force);

    /** Answers a plan the job is paused on; false when no such pause is here. */
    boolean decide(long taskId, boolean confirmed);
}
