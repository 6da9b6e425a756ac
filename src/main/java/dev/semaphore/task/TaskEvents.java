package dev.semaphore.task;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a task's status changes and output go: to every subscribed listener (the live hub, alerts,
 * autorun of deploys; later webhooks and metrics), each on its own, so one that fails or is slow
 * to return does not keep the others from hearing.
 */
public final class TaskEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEvents.class);

    /** Told of tasks as they change. Both methods may be called from any thread. */
    public interface Listener {
        /** The task's status changed; {@code task} is as it was read right after. */
        default void statusChanged(Task task) {
        }

        /** Output lines of a task were stored, in order. */
        default void output(long projectId, long taskId, List<Instant> times, List<String> lines) {
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    /** The websocket hub's listener: upstream's {@code update} and {@code log} messages. */
    public static Listener live(TaskNotifier notifier) {
        return new Listener() {
            @Override
            public void statusChanged(Task task) {
                notifier.publish(task.projectId(), List.of(TaskNotifier.update(task)));
            }

            @Override
            public void output(long projectId, long taskId, List<Instant> times, List<String> lines) {
                List<Object> messages = new java.util.ArrayList<>(lines.size());
                for (int i = 0; i < lines.size(); i++) {
                    messages.add(TaskNotifier.log(projectId, taskId, times.get(i), lines.get(i)));
                }
                notifier.publish(projectId, messages);
            }
        };
    }

    public void statusChanged(Task task) {
        for (Listener listener : listeners) {
            try {
                listener.statusChanged(task);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on task {} becoming {}: {}", task.id(), task.status(), e.toString());
            }
        }
    }

    public void output(long projectId, long taskId, List<Instant> times, List<String> lines) {
        for (Listener listener : listeners) {
            try {
                listener.output(projectId, taskId, times, lines);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on output of task {}: {}", taskId, e.toString());
            }
        }
    }
}
