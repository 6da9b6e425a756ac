package dev.semaphore.task;

import java.util.Set;

/** Upstream's task statuses. */
public final class TaskStatus {
    public static final String WAITING = "waiting";
    public static final String STARTING = "starting";
    public static final String WAITING_CONFIRMATION = "waiting_confirmation";
    public static final String CONFIRMED = "confirmed";
    public static final String REJECTED = "rejected";
    public static final String RUNNING = "running";
    public static final String STOPPING = "stopping";
    public static final String STOPPED = "stopped";
    public static final String SUCCESS = "success";
    public static final String ERROR = "error";

    /** Every status, in the order a task can go through them. */
    public static final java.util.List<String> ALL = java.util.List.of(WAITING, STARTING, WAITING_CONFIRMATION,
            CONFIRMED, REJECTED, RUNNING, STOPPING, STOPPED, SUCCESS, ERROR);

    /** Statuses of a task that is done: nothing changes it any more. */
    public static final Set<String> FINISHED = Set.of(STOPPED, SUCCESS, ERROR);
    /** Statuses of a task that holds a slot (counts against parallelism limits). */
    public static final Set<String> ACTIVE = Set.of(STARTING, RUNNING, STOPPING, WAITING_CONFIRMATION, CONFIRMED);

    private TaskStatus() {
    }
}
