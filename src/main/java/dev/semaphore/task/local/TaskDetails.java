package dev.semaphore.task.local;

import dev.semaphore.task.Task;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Upstream's {@code task_details}: who started the task, its message, where to see it, and for builds and
 * deploys the version made or brought in. Ansible gets them as {@code semaphore_vars.task_details}, every
 * other program as {@code SEMAPHORE_TASK_DETAILS_<NAME>} variables; empty ones are left out, as upstream.
 */
final class TaskDetails {
    private TaskDetails() {
    }

    static Map<String, Object> of(Task task, String webHost) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", task.id());
        if (task.userName() != null && !task.userName().isEmpty()) {
            details.put("username", task.userName());
        }
        if (task.message() != null && !task.message().isEmpty()) {
            details.put("message", task.message());
        }
        details.put("url", webHost.replaceAll("/+$", "") + "/project/" + task.projectId() + "/templates/"
                + task.templateId() + "?t=" + task.id());
        String type = task.tplType() == null ? "" : task.tplType();
        if (!type.isEmpty()) {
            details.put("type", type);
        }
        if (task.version() != null && type.equals("build")) {
            details.put("target_version", task.version());
        }
        if (task.version() != null && type.equals("deploy")) {
            details.put("incoming_version", task.version());
        }
        return details;
    }

    /** The same as environment variables: {@code SEMAPHORE_TASK_DETAILS_ID=12}, ... */
    static Map<String, String> environment(Task task, String webHost) {
        Map<String, String> env = new LinkedHashMap<>();
        of(task, webHost).forEach((name, value) -> env.put("SEMAPHORE_TASK_DETAILS_" + name.toUpperCase(Locale.ROOT),
                String.valueOf(value)));
        return env;
    }
}
