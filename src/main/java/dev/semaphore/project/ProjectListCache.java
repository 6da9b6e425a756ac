package dev.semaphore.project;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The project list each user sees, kept in memory: every page of the UI asks for it, and it
 * changes rarely. Every project or membership change on this node empties the cache; a change
 * made by another node sharing the database shows here within {@link #TTL_NANOS}.
 */
final class ProjectListCache {
    static final long TTL_NANOS = 2_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(List<Project> projects, long expiresAt, long generation) {
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
    private volatile long generation;

    List<Project> get(long key, Supplier<List<Project>> loader) {
        long now = System.nanoTime();
        Entry entry = entries.get(key);
        if (entry != null && entry.generation() == generation && entry.expiresAt() - now > 0) {
            return entry.projects();
        }
        // Read the generation before loading, so a change during the load is not cached as current.
        long loadedAt = generation;
        List<Project> projects = List.copyOf(loader.get());
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(projects, now + TTL_NANOS, loadedAt));
        return projects;
    }

    synchronized void invalidate() {
        generation++;
        entries.clear();
    }
}
