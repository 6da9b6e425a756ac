package dev.semaphore.config;

import java.util.List;

/**
 * One setting the server reads: its config.json path, the SEMAPHORE_* variables that set it,
 * its type, default and rule. A path starting with {@code db.} lives in the block named by
 * the dialect ({@code sqlite}, {@code postgres} or {@code mysql}), as upstream lays it out.
 */
public record ConfigKey(String path, List<String> env, Kind kind, Object defaultValue, String description, Rule rule) {

    public enum Kind { STRING, INT, BOOL, MAP, LIST }

    /** Checks a parsed value; returns null when it is fine, else what is wrong with it. */
    @FunctionalInterface
    public interface Rule {
        String problem(Object value);
    }

    public boolean inDatabaseBlock() {
        return path.startsWith("db.");
    }

    /** The path as a user writes it, given the active dialect. */
    public String filePath(String dialect) {
        return inDatabaseBlock() ? dialect + path.substring(2) : path;
    }

    public String displayName() {
        return inDatabaseBlock() ? "<dialect>" + path.substring(2) : path;
    }
}
