package dev.semaphore;

import dev.semaphore.common.Json;

/**
 * Initialises, on the otherwise idle second core, what a server start needs next, while the main
 * thread is still parsing the command line (picocli's Java 5 bytecode cannot come from the AOT
 * cache and takes about 300 ms). For other commands the daemon thread's work is simply unused.
 */
final class StartupWarmup {
    private static final String[] CLASSES = {
        "org.flywaydb.core.Flyway",
        "com.zaxxer.hikari.HikariDataSource",
        "org.jdbi.v3.core.Jdbi",
        "io.javalin.Javalin",
        "org.eclipse.jetty.server.Server",
        "org.eclipse.jetty.ee10.servlet.ServletContextHandler",
    };

    private StartupWarmup() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("startup-warmup").start(StartupWarmup::run);
    }

    private static void run() {
        try {
            Json.mapper().writeValueAsString(java.util.Map.of("warm", java.time.Instant.EPOCH));
            org.sqlite.SQLiteJDBCLoader.initialize();
            ClassLoader loader = StartupWarmup.class.getClassLoader();
            for (String name : CLASSES) {
                Class.forName(name, true, loader);
            }
        } catch (Exception | LinkageError e) {
            // Only a head start: whatever fails here is done, and reported, by the real start.
        }
    }
}
