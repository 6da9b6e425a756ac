package dev.semaphore.execution;

import java.util.List;
import java.util.Map;

/**
 * Every program this server starts begins from a clean environment: never the server's own
 * variables, which hold its secrets (the keyring, cookie keys, database and admin passwords). Task
 * processes start through {@link ProcessIsolation#launched}.
 */
public final class ChildProcesses {
    private static final String PATH = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    private static final String LANG = System.getenv().getOrDefault("LANG", "C.UTF-8");

    private ChildProcesses() {
    }

    /** The variables every child gets: PATH and LANG, as the server has them. */
    public static Map<String, String> baseEnvironment() {
        return Map.of("PATH", PATH, "LANG", LANG);
    }

    /** A builder for {@code command} whose environment holds only {@link #baseEnvironment()} and {@code env}. */
    public static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(baseEnvironment());
        builder.environment().putAll(env);
        return builder;
    }

    public static ProcessBuilder builder(String... command) {
        return builder(List.of(command), Map.of());
    }
}
