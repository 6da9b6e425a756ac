package dev.semaphore.cli;

import dev.semaphore.config.Config;
import dev.semaphore.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "migrate", description = "Apply database migrations and print the schema version.")
final class MigrateCommand implements Callable<Integer> {
    @ParentCommand
    SemaphoreCommand root;

    @Option(names = "--status", description = "Only show the current version and pending migrations.")
    boolean status;

    @Option(names = "--undo-to", description = "Not supported: migrations only go forward (restore a backup).")
    String undoTo;

    @Option(names = "--apply-to", description = "Apply migrations up to this schema version only (as upstream).")
    String applyTo;

    @Override
    public Integer call() {
        if (undoTo != null) {
            throw new CliException("--undo-to is not supported: migrations only go forward; restore a database backup");
        }
        Config config = root.loadConfig();
        root.applyLogLevel(config, "WARN");
        try (Database db = Database.open(config)) {
            if (status) {
                System.out.println("schema version: " + db.currentVersion().orElse("none")
                        + ", pending migrations: " + db.pendingMigrations());
            } else {
                if (applyTo != null && !db.knownVersions().contains(applyTo)) {
                    throw new CliException("--apply-to " + applyTo + ": no such schema version; known: "
                            + String.join(", ", db.knownVersions()));
                }
                String version = db.migrateTo(applyTo);
                System.out.println("schema version: " + version);
            }
        }
        return 0;
    }
}
