package dev.semaphore.task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where task updates and log lines go as they happen (the websocket hub); messages in upstream's shape. */
@FunctionalInterface
public interface TaskNotifier {
    void publish(long projectId, List<?> messages);

    TaskNotifier NONE = (projectId, messages) -> { };

    static Map<String, Object> update(Task task) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "update");
        message.put("start", task.start());
        message.put("end", task.end());
        message.put("status", task.status());
        message.put("task_id", task.id());
        message.put("template_id", task.templateId());
        message.put("project_id", task.projectId());
        message.put("version", null);
        return message;
    }

    static Map<String, Object> log(long projectId, long taskId, Instant time, String output) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "log");
        message.put("output", output);
        message.put("time", time);
        message.put("task_id", taskId);
        message.put("project_id", projectId);
        return message;
    }
}
