package dev.semaphore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.Services;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.project.Project;
import dev.semaphore.user.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code semaphore projects export|import}: project backups in upstream's format, as upstream names them. */
@Command(name = "projects", aliases = "project", description = "Export and import projects (upstream's backup format).",
        subcommands = {ProjectsCommand.Export.class, ProjectsCommand.Import.class})
final class ProjectsCommand {
    @ParentCommand
    SemaphoreCommand root;

    Services open() {
        return root.openServices();
    }

    /** Imports and exports act as the first admin, who owns what is imported (as upstream). */
    static User firstAdmin(Services services) {
        return services.users().list(null).stream().filter(User::admin).min(Comparator.comparingLong(User::id))
                .orElseThrow(() -> new CliException("there is no admin user yet; create one first (semaphore user add --admin)"));
    }

    static final class Which {
        @Option(names = "--project-id", required = true, description = "The project's id.")
        Long id;

        @Option(names = "--project-name", required = true, description = "The project's name.")
        String name;
    }

    @Command(name = "export", description = "Write a project's backup (no secrets) to a file.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ProjectsCommand parent;

        @ArgGroup(multiplicity = "1")
        Which which;

        @Option(names = "--file", required = true, description = "Where to write the backup (JSON).")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (Services services = parent.open()) {
                long id = which.id != null ? which.id : services.projects().visibleTo(firstAdmin(services)).stream()
                        .filter(p -> p.name().equals(which.name)).map(Project::id).findFirst()
                        .orElseThrow(() -> new CliException("no project named " + which.name));
                ObjectNode backup;
                try {
                    backup = services.backups().export(id);
                } catch (ApiException e) {
                    throw new CliException(e.getMessage());
                }
                Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(backup));
                System.out.println("Project " + backup.get("meta").get("name").asText() + " exported to " + file);
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Make new projects from backup files (each all or nothing).")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ProjectsCommand parent;

        @Option(names = "--file", description = "A backup file.")
        Path file;

        @Option(names = "--dir", description = "A directory: every *.json, *.backup and *.bk file in it.")
        Path dir;

        @Option(names = "--project-name", description = "The new project's name (with --file).")
        String name;

        @Override
        public Integer call() throws IOException {
            if ((file == null) == (dir == null)) {
                throw new CliException("give exactly one of --file and --dir");
            }
            if (name != null && file == null) {
                throw new CliException("--project-name goes with --file");
            }
            List<Path> files = new ArrayList<>();
            if (file != null) {
                files.add(file);
            } else {
                try (Stream<Path> listing = Files.list(dir)) {
                    listing.filter(f -> f.toString().matches(".*\\.(json|backup|bk)$")).sorted().forEach(files::add);
                }
            }
            int failed = 0;
            try (Services services = parent.open()) {
                User owner = firstAdmin(services);
                for (Path backupFile : files) {
                    try {
                        JsonNode backup = Json.mapper().readTree(Files.readString(backupFile));
                        if (name != null && backup.get("meta") instanceof ObjectNode meta) {
                            meta.put("name", name);
                        }
                        Project project = services.backups().restore(owner, backup, true, false);
                        System.out.println(backupFile + ": project " + project.name() + " (" + project.id() + ") imported");
                    } catch (ApiException | IOException e) {
                        failed++;
                        System.err.println(backupFile + ": not imported: " + e.getMessage());
                    }
                }
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
