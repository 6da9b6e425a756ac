package dev.semaphore.task;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's task statuses, and the one table of which status may follow which and who may cause
 * the move. Every status write goes through {@link TaskStore#move}, which refuses (and logs) a move
 * the table does not hold and applies the others only if the task is still where the mover saw it.
 */
public enum TaskStatus {
    WAITING, STARTING, WAITING_CONFIRMATION, CONFIRMED, REJECTED, RUNNING, STOPPING, STOPPED, SUCCESS, ERROR;

    /** Who moves a task. */
    public enum Cause {
        /** The dispatcher claiming or refusing a queued task. */
        DISPATCHER,
        /** The run itself: its process started, paused, resumed or ended. */
        JOB,
        /** A person (or client) through the API: stop, confirm, reject. */
        USER,
        /** A server start cleaning up after a server that died. */
        RECOVERY
    }

    /** Statuses of a task that is done: nothing changes it any more. */
    public static final Set<TaskStatus> FINISHED = EnumSet.of(STOPPED, SUCCESS, ERROR);
    /** Statuses of a task that holds a slot (counts against parallelism limits). */
    public static final Set<TaskStatus> ACTIVE = EnumSet.of(STARTING, RUNNING, STOPPING, WAITING_CONFIRMATION,
            CONFIRMED, REJECTED);
    /** Every status as the API writes it, in the order a task can go through them. */
    public static final List<String> NAMES = Arrays.stream(values()).map(TaskStatus::wire).toList();

    private static final Map<TaskStatus, Map<TaskStatus, Set<Cause>>> MOVES = new EnumMap<>(TaskStatus.class);

    static {
        allow(WAITING, STARTING, Cause.DISPATCHER);
        allow(WAITING, ERROR, Cause.DISPATCHER, Cause.RECOVERY);
        allow(WAITING, STOPPED, Cause.USER);
        for (TaskStatus active : List.of(STARTING, RUNNING, WAITING_CONFIRMATION, CONFIRMED, REJECTED)) {
            allow(active, STOPPING, Cause.USER);
            allow(active, STOPPED, Cause.USER, Cause.JOB);
            allow(active, ERROR, Cause.JOB, Cause.RECOVERY);
        }
        allow(STARTING, RUNNING, Cause.JOB);
        allow(RUNNING, WAITING_CONFIRMATION, Cause.JOB);
        allow(RUNNING, SUCCESS, Cause.JOB);
        allow(WAITING_CONFIRMATION, CONFIRMED, Cause.USER);
        allow(WAITING_CONFIRMATION, REJECTED, Cause.USER);
        allow(CONFIRMED, RUNNING, Cause.JOB);
        allow(STOPPING, STOPPED, Cause.USER, Cause.JOB);
        allow(STOPPING, ERROR, Cause.JOB, Cause.RECOVERY);
        // A runner that went offline before it started the task: the task goes back to the queue.
        allow(STARTING, WAITING, Cause.RECOVERY);
    }

    private static void allow(TaskStatus from, TaskStatus to, Cause... causes) {
        MOVES.computeIfAbsent(from, f -> new EnumMap<>(TaskStatus.class))
                .computeIfAbsent(to, t -> EnumSet.noneOf(Cause.class)).addAll(List.of(causes));
    }

    /** Whether {@code cause} may move a task from this status to {@code to}. */
    public boolean mayBecome(TaskStatus to, Cause cause) {
        return MOVES.getOrDefault(this, Map.of()).getOrDefault(to, Set.of()).contains(cause);
    }

    public boolean finished() {
        return FINISHED.contains(this);
    }

    /** The name upstream's API and the database use: {@code waiting_confirmation}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a stored or requested name stands for. */
    public static TaskStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    public static boolean known(String wire) {
        return wire != null && NAMES.contains(wire);
    }

    @Override
    public String toString() {
        return wire();
    }
}
