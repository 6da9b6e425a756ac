package dev.semaphore.project;

import java.time.Instant;

/** A project in upstream's JSON shape. */
public record Project(long id, String name, Instant created, boolean alert, String alertChat, int maxParallelTasks,
                      String type) {
}
