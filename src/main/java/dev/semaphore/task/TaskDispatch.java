package dev.semaphore.task;

/**
 * What the task API asks of the dispatcher. Stop, confirm and reject are written to the task row
 * first, and the process that runs the task picks them up from there; these calls only let a task
 * run by this very process react at once.
 */
public interface TaskDispatch {
    /** Something changed (a task was queued or ended): look at the queue now. */
    void wake();

    /** Stops a running task's process tree; false when this process is not running it. */
    boolean kill(long taskId, boolean force);

    /** Answers a task paused for confirmation; false when this process has no such pause. */
    boolean decide(long taskId, boolean confirmed);
}
