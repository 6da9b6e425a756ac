package dev.semaphore.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;

/**
 * The connection pool, JDBI and migrations for one database. Services run their work through
 * {@link #tx} (one transaction: all of it lands or none) or {@link #read}.
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final String host;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(Dialect dialect, String host, HikariDataSource dataSource) {
        this.dialect = dialect;
        this.host = host;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        InstantCodec.register(jdbi, dialect);
        // A failed statement's message names the SQL only: bound values (password hashes, secrets) never reach a log.
        jdbi.getConfig(org.jdbi.v3.core.statement.StatementExceptions.class).setMessageRendering(e -> {
            String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRawSql();
            String shortSql = sql == null ? "?" : sql.length() > 200 ? sql.substring(0, 200) + "..." : sql;
            return e.getShortMessage() + " [statement: " + shortSql.replaceAll("\\s+", " ").strip() + "]";
        });
    }

    /**
     * Sets up the pool without connecting yet: the first connection is made by {@link #migrate},
     * which the server runs while its HTTP side starts.
     */
    public static Database open(Config config) {
        return open(config, null);
    }

    /** @param meters where the pool's meters go (connections in use, waiting, timeouts); null: nowhere */
    public static Database open(Config config, io.micrometer.core.instrument.MeterRegistry meters) {
        Dialect dialect = Dialect.fromConfig(config.dialect());
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("semaphore-db");
        String host = config.string(ConfigKeys.DB_HOST);
        Map<String, String> options = config.map(ConfigKeys.DB_OPTIONS);
        switch (dialect) {
            case SQLITE -> {
                Path file = Path.of(host).toAbsolutePath();
                createParent(file);
                createPrivate(file);
                SQLiteConfig sqlite = new SQLiteConfig();
                sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
                sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
                sqlite.setBusyTimeout(10_000);
                sqlite.enforceForeignKeys(true);
                // Writers take the lock up front, so two writers queue instead of deadlocking.
                sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
                hikari.setJdbcUrl("jdbc:sqlite:" + file + query(options, "?"));
                hikari.setDataSourceProperties(sqlite.toProperties());
                hikari.setMaximumPoolSize(4);
            }
            case POSTGRES -> {
                hikari.setJdbcUrl("jdbc:postgresql://" + host + "/" + config.string(ConfigKeys.DB_NAME)
                        + query(options, "?"));
                // The server's detail ("Failing row contains ...") would copy bound values into messages.
                hikari.addDataSourceProperty("logServerErrorDetail", "false");
                hikari.setMaximumPoolSize(10);
            }
            case MYSQL -> {
                hikari.setJdbcUrl("jdbc:mariadb://" + host + "/" + config.string(ConfigKeys.DB_NAME)
                        + query(options, "?"));
                hikari.setMaximumPoolSize(10);
            }
        }
        if (dialect != Dialect.SQLITE) {
            hikari.setUsername(config.string(ConfigKeys.DB_USER));
            hikari.setPassword(config.string(ConfigKeys.DB_PASS));
        }
        hikari.setMinimumIdle(1);
        hikari.setInitializationFailTimeout(-1);
        hikari.setConnectionTimeout(10_000);
        if (meters != null) {
            hikari.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(
                    meters));
        }
        return new Database(dialect, host, new HikariDataSource(hikari));
    }

    public Dialect dialect() {
        return dialect;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * A connection of its own, outside the pool, with the pool's settings (for one held for the process's
     * life, such as a LISTEN, which would otherwise take a slot from the requests and tasks).
     */
    public java.sql.Connection connectUnpooled() throws java.sql.SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(dataSource.getDataSourceProperties());
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    /** Whether this thread is inside a {@link #tx} already. */
    private final ThreadLocal<Boolean> inTransaction = ThreadLocal.withInitial(() -> false);

    /**
     * Runs {@code work} in one transaction. A transaction the database chose as a deadlock victim
     * (or failed as not serialisable) did nothing, so it is run again, up to three times in all:
     * with many tasks writing at once, MariaDB and PostgreSQL do pick victims.
     */
    public <T> T tx(HandleCallback<T, RuntimeException> work) {
        if (inTransaction.get()) {
            // Joins the caller's transaction (Jdbi gives a thread's nested calls its open handle). A victim's whole
            // transaction is gone, so only the outermost may run again: this part alone would commit without the rest.
            return jdbi.inTransaction(work);
        }
        inTransaction.set(true);
        try {
            return outermost(work);
        } finally {
            inTransaction.remove();
        }
    }

    private <T> T outermost(HandleCallback<T, RuntimeException> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(work);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !isTransient(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextInt(20));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public void txRun(java.util.function.Consumer<Handle> work) {
        tx(h -> {
            work.accept(h);
            return null;
        });
    }

    /** Deadlock victims and serialisation failures (SQLState class 40) may be retried. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    public <T> T read(HandleCallback<T, RuntimeException> work) {
        return jdbi.withHandle(work);
    }

    private Flyway flyway() {
        return flyway(null);
    }

    /** @param target the last migration to apply (null: all) */
    private Flyway flyway(String target) {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .loggers("slf4j");
        if (target != null) {
            configuration.target(target);
        }
        return configuration.load();
    }

    /** Applies pending migrations; returns the schema version now in force. */
    public String migrate() {
        return migrateTo(null);
    }

    /** Applies pending migrations up to {@code version} (all for null); returns the schema version now in force. */
    public String migrateTo(String version) {
        requireReachable();
        MigrateResult result = flyway(version).migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : currentVersion().orElse("none");
    }

    /** The versions of the migrations this build knows, oldest first. */
    public java.util.List<String> knownVersions() {
        return java.util.Arrays.stream(flyway().info().all()).map(i -> i.getVersion().getVersion()).toList();
    }

    public Optional<String> currentVersion() {
        requireReachable();
        MigrationInfo current = flyway().info().current();
        return Optional.ofNullable(current).map(info -> info.getVersion().getVersion());
    }

    public int pendingMigrations() {
        requireReachable();
        return flyway().info().pending().length;
    }

    private void requireReachable() {
        try (Connection ignored = dataSource.getConnection()) {
            // Reaching the database is all this checks.
        } catch (SQLException | RuntimeException e) {
            throw new DatabaseUnavailableException(dialect, host, e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * The database file holds every secret the server keeps: only its owner may read it (0600). SQLite
     * gives its -wal and -shm files the same mode.
     */
    private static void createPrivate(Path file) {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> owner =
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(owner));
            } else if (!java.nio.file.Files.getPosixFilePermissions(file).equals(owner)) {
                java.nio.file.Files.setPosixFilePermissions(file, owner);
            }
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL decides
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("cannot create the database file " + file, e);
        }
    }

    private static String query(Map<String, String> options, String prefix) {
        if (options.isEmpty()) {
            return "";
        }
        return options.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&", prefix, ""));
    }

    private static void createParent(Path file) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + file, e);
        }
    }
}
