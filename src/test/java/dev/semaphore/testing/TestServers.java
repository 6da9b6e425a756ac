package dev.semaphore.testing;

import dev.semaphore.db.Dialect;
import java.util.EnumMap;
import java.util.Map;

/** One shared server per dialect for the whole test run; tests keep apart through unique names. */
public final class TestServers {
    private static final Map<Dialect, TestServer> SERVERS = new EnumMap<>(Dialect.class);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (SERVERS) {
                SERVERS.values().forEach(TestServer::close);
                TestDatabases.dropAll();
            }
        }));
    }

    private TestServers() {
    }

    public static TestServer of(Dialect dialect) {
        synchronized (SERVERS) {
            return SERVERS.computeIfAbsent(dialect, TestServer::new);
        }
    }
}
