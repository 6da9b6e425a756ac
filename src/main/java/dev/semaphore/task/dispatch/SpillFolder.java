package dev.semaphore.task.dispatch;

import java.nio.file.Path;

/**
 * A private folder where a task's output waits on disk while the database cannot take it, and how to remove it
 * with all in it. Made by the composition root (a folder that names its server, swept after a crash).
 */
public record SpillFolder(Path path, Runnable remove) {
}
