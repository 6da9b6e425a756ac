package dev.semaphore.project;

import java.time.Instant;

/**
 * A project in upstream's JSON shape, plus its own retention ({@code task_retention_days},
 * {@code max_tasks_per_template}; 0: the server's settings).
 */
public record Project(long id, String name, Instant created, boolean alert, String alertChat, int maxParallelTasks,
                      String type, int taskRetentionDays, int maxTasksPerTemplate) {
}
