package dev.semaphore.task.job;

import dev.semaphore.task.TaskStatus;

/** What the dispatcher learns from a job while it runs; plain values only, so any executor can report them. */
public interface JobHooks {
    void commit(String hash, String message);

    /** The job moved on: {@code waiting_confirmation} before a pause, {@code running} after it. */
    void status(TaskStatus status);

    /** A new stage begins at output line {@code firstLine}; the previous one ends. */
    void stage(String type, int firstLine);

    /** What was read from the output during the current stage, as JSON. */
    void stageResult(String json);

    /**
     * The process the task runs now (pid and start time) and where all its processes are (its cgroup or
     * process groups), so that a restarted server can end them if this one dies.
     */
    void process(long pid, String started, String group);
}
