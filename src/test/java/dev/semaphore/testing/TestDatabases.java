package dev.semaphore.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.UUID;

/**
 * Fresh, empty databases on the real engines: a temp SQLite file, or a new database on the
 * PostgreSQL (127.0.0.1:5432, postgres, trust) and MariaDB (127.0.0.1:3306, root) servers.
 */
public final class TestDatabases {
    public static final String PG_HOST = System.getProperty("test.pg.host", "127.0.0.1:5432");
    public static final String MYSQL_HOST = System.getProperty("test.mysql.host", "127.0.0.1:3306");

    private static final List<Runnable> DROPS = new CopyOnWriteArrayList<>();

    private TestDatabases() {
    }

    /** Drops the server-side databases this run created; called once servers are closed. */
    public static void dropAll() {
        DROPS.forEach(drop -> {
            try {
                drop.run();
            } catch (RuntimeException e) {
                System.err.println("could not drop a test database: " + e.getMessage());
            }
        });
        DROPS.clear();
    }

    /** A config.json-shaped object for a new database of the dialect; the caller adds other keys. */
    public static ObjectNode freshConfigJson(Dialect dialect) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        String name = "sem_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        switch (dialect) {
            case SQLITE -> {
                root.put("dialect", "sqlite");
                root.putObject("sqlite").put("host", tempDir().resolve(name + ".sqlite").toString());
            }
            case POSTGRES -> {
                execute("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "", "CREATE DATABASE " + name);
                DROPS.add(() -> execute("jdbc:postgresql://" + PG_HOST + "/postgres", "postgres", "",
                        "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
                root.put("dialect", "postgres");
                root.putObject("postgres").put("host", PG_HOST).put("user", "postgres").put("pass", "")
                        .put("name", name);
            }
            case MYSQL -> {
                execute("jdbc:mariadb://" + MYSQL_HOST + "/", "root", "", "CREATE DATABASE " + name
                        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                DROPS.add(() -> execute("jdbc:mariadb://" + MYSQL_HOST + "/", "root", "", "DROP DATABASE IF EXISTS " + name));
                root.put("dialect", "mysql");
                root.putObject("mysql").put("host", MYSQL_HOST).put("user", "root").put("pass", "").put("name", name);
            }
        }
        // Shared servers see every test's failed logins from 127.0.0.1; the throttle is tested on its own server.
        root.putObject("auth").put("login_address_max_failures", 1_000_000);
        root.put("port", "0");
        root.put("interface", "127.0.0.1");
        root.put("tmp_path", tempDir().resolve(name + "-tmp").toString());
        root.put("access_key_encryption", java.util.Base64.getEncoder().encodeToString(
                dev.semaphore.common.Secrets.randomBytes(32)));
        return root;
    }

    public static Config freshConfig(Dialect dialect) {
        return new ConfigLoader(Map.of()).fromJson(freshConfigJson(dialect));
    }

    public static Path tempDir() {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "semaphore-tests");
            Files.createDirectories(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database server unreachable at " + url
                    + " (start it as .ci/run does): " + e.getMessage(), e);
        }
    }
}
