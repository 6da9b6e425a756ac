package dev.semaphore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.Services;
import dev.semaphore.common.Json;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigException;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Database;
import dev.semaphore.upstream.UpstreamImport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code semaphore import}: everything of an upstream Semaphore database into this server's, from
 * upstream's config.json or from flags naming its database. Running it again adds only what is new.
 */
@Command(name = "import", description = "Import an upstream Semaphore database (users, projects, keys with their"
        + " secrets, templates, tasks with their output, ...) into this server's database.")
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    SemaphoreCommand root;

    @Option(names = "--from", description = "Upstream's config.json: its database and access_key_encryption.")
    Path from;

    @Option(names = "--from-dialect", description = "Upstream's database: sqlite, postgres or mysql (instead of --from).")
    String dialect;

    @Option(names = "--from-host", description = "Upstream's database host[:port], or the SQLite file.")
    String host;

    @Option(names = "--from-user", description = "Upstream's database user.")
    String user;

    @Option(names = "--from-password", description = "Upstream's database password.")
    String password;

    @Option(names = "--from-name", description = "Upstream's database name.")
    String name;

    @Option(names = "--from-access-key-encryption", description = "Upstream's access_key_encryption"
            + " (read from --from when not given; empty when upstream ran without one).")
    String accessKeyEncryption;

    @Override
    public Integer call() {
        Config upstream = upstreamConfig();
        String key = accessKeyEncryption != null ? accessKeyEncryption : upstream.string(ConfigKeys.ACCESS_KEY_ENCRYPTION);
        if (upstream.dialect().equals("sqlite") && !Files.isRegularFile(Path.of(upstream.string(ConfigKeys.DB_HOST)))) {
            throw new CliException("upstream's SQLite database " + upstream.string(ConfigKeys.DB_HOST) + " does not exist");
        }
        try (Services services = root.openServices(); Database source = Database.open(upstream)) {
            services.migrate();
            UpstreamImport.Report report;
            try {
                report = services.upstreamImport(source, key, new Printer(System.out, System.console() != null)).run();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
            System.out.println();
            if (report.problems().isEmpty()) {
                System.out.println("Everything was imported.");
            } else {
                System.out.println("Not imported, or imported with a change (" + report.problems().size() + "):");
                report.problems().forEach(p -> System.out.println("  - " + p));
            }
        }
        return 0;
    }

    private Config upstreamConfig() {
        ConfigLoader loader = new ConfigLoader(Map.of()); // this server's SEMAPHORE_* variables say nothing of upstream
        if (from != null) {
            if (dialect != null) {
                throw new CliException("give either --from or --from-dialect, not both");
            }
            return loader.load(from, false);
        }
        if (dialect == null) {
            throw new CliException("say where upstream's database is: --from <config.json>, or --from-dialect and"
                    + " --from-host (with --from-user, --from-password, --from-name)");
        }
        if (!dialect.equals("sqlite") && !dialect.equals("postgres") && !dialect.equals("mysql")) {
            throw new CliException("--from-dialect must be sqlite, postgres or mysql");
        }
        ObjectNode json = Json.mapper().createObjectNode().put("dialect", dialect);
        ObjectNode db = json.putObject(dialect);
        if (host != null) {
            db.put("host", host);
        }
        db.put("user", user == null ? "" : user).put("pass", password == null ? "" : password)
                .put("name", name == null ? "" : name);
        try {
            return loader.fromJson(json);
        } catch (ConfigException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Prints each table's counts; on a terminal, tasks as one line updated in place with rate and ETA. */
    private static final class Printer implements UpstreamImport.Progress {
        private final PrintStream out;
        private final boolean terminal;
        private long lastPrinted = -1;

        Printer(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void table(UpstreamImport.TableReport table) {
            if (terminal && lastPrinted >= 0) {
                out.println();
                lastPrinted = -1;
            }
            out.printf("%-36s %,10d imported %,10d already here %,6d not imported  (%.1f s)%n", table.table(),
                    table.imported(), table.existing(), table.skipped(), table.took().toMillis() / 1000.0);
        }

        @Override
        public void tasks(long done, long total, long lines, Duration elapsed) {
            double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
            long eta = done == 0 ? 0 : Math.round(seconds * (total - done) / done);
            String line = String.format("tasks %,d / %,d, %,d output lines (%,.0f lines/s), about %d s to go",
                    done, total, lines, lines / seconds, eta);
            if (terminal) {
                out.print("\r" + line);
                lastPrinted = done;
            } else if (elapsed.toSeconds() / 10 != lastPrinted) {
                out.println(line);
                lastPrinted = elapsed.toSeconds() / 10;
            }
        }
    }
}
