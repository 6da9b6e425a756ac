package dev.semaphore.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Upstream's {@code log.tasks}: every task's output lines, as stored (secrets masked), appended to one
 * file, and one record a finished task (status, template, who, when, how long) to another, for a log
 * shipper. JSON objects a line, or readable text. Written by the process that stores the lines or ends
 * the task.
 */
public final class TaskFiles implements TaskEvents.Listener {
    private final Path output;
    private final Path results;
    private final boolean json;

    public TaskFiles(Path output, Path results, String format) {
        this.output = output.toAbsolutePath();
        this.results = results.toAbsolutePath();
        this.json = !"text".equals(format);
    }

    @Override
    public void output(long projectId, long taskId, List<Instant> times, List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (json) {
                text.append(Json.write(Json.mapper().createObjectNode().put("time", times.get(i).toString())
                        .put("project_id", projectId).put("task_id", taskId).put("output", lines.get(i))));
            } else {
                text.append(times.get(i)).append(" [project ").append(projectId).append(" task ").append(taskId)
                        .append("] ").append(lines.get(i));
            }
            text.append('\n');
        }
        AppendedFile.append(output, text);
    }

    @Override
    public void statusChanged(Task task) {
        if (!TaskStatus.known(task.status()) || !TaskStatus.of(task.status()).finished()) {
            return;
        }
        Long seconds = task.start() == null || task.end() == null ? null
                : Duration.between(task.start(), task.end()).toSeconds();
        String line;
        if (json) {
            ObjectNode record = Json.mapper().createObjectNode()
                    .put("time", String.valueOf(task.end() == null ? Instant.now() : task.end()))
                    .put("project_id", task.projectId()).put("task_id", task.id())
                    .put("template_id", task.templateId()).put("template", task.tplAlias())
                    .put("app", task.tplApp()).put("status", task.status())
                    .put("user", task.userName()).put("message", task.message())
                    .put("start", task.start() == null ? null : task.start().toString())
                    .put("end", task.end() == null ? null : task.end().toString())
                    .put("duration_sec", seconds).put("commit_hash", task.commitHash())
                    .put("version", task.version());
            line = Json.write(record);
        } else {
            line = task.end() + " [project " + task.projectId() + " task " + task.id() + "] " + task.tplAlias()
                    + ": " + task.status() + (seconds == null ? "" : " after " + seconds + " s")
                    + (task.userName() == null ? "" : ", started by " + task.userName());
        }
        AppendedFile.append(results, line + "\n");
    }
}
