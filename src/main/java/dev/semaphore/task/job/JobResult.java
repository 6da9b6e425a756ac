package dev.semaphore.task.job;

/** How a job ended: its last process's exit code, or the reason it could not run or finish. */
public record JobResult(int exitCode, String failure) {
    public boolean succeeded() {
        return failure == null && exitCode == 0;
    }

    /** A job that ended for {@code reason}, whatever its processes returned. */
    public static JobResult failed(String reason) {
        return new JobResult(-1, reason);
    }
}
