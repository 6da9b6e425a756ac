package dev.semaphore.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.semaphore.Services;
import dev.semaphore.common.Secrets;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.user.UserService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Writes config.json with fresh secrets, migrates the database and creates the first admin.
 * Asks for whatever the flags leave open, unless --yes says to take the defaults.
 */
@Command(name = "setup", description = "Write config.json, prepare the database and create the first admin.")
final class SetupCommand implements Callable<Integer> {
    @ParentCommand
    SemaphoreCommand root;

    @Option(names = "--dialect", description = "sqlite, postgres or mysql.")
    String dialect;
    @Option(names = "--db-host", description = "sqlite: file path; postgres/mysql: host[:port].")
    String dbHost;
    @Option(names = "--db-user")
    String dbUser;
    @Option(names = "--db-pass")
    String dbPass;
    @Option(names = "--db-name")
    String dbName;
    @Option(names = "--port")
    String port;
    @Option(names = "--tmp-path")
    String tmpPath;
    @Option(names = "--web-root", description = "Public URL of the server.")
    String webRoot;
    @Option(names = "--output", description = "Where to write config.json (default ./config.json).")
    Path output;
    @Option(names = "--admin-login")
    String adminLogin;
    @Option(names = "--admin-name")
    String adminName;
    @Option(names = "--admin-email")
    String adminEmail;
    @Option(names = "--admin-password")
    String adminPassword;
    @Option(names = {"--yes", "-y"}, description = "Take the default for every question the flags leave open.")
    boolean yes;

    private BufferedReader in;
    private final PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("Semaphore setup. Press Enter to take the value in brackets.");
        String db = ask("Database (sqlite, postgres, mysql)", dialect, "sqlite");
        Map<String, Object> block = new LinkedHashMap<>();
        if (db.equals("sqlite")) {
            block.put("host", ask("Database file", dbHost, "data/database.sqlite"));
        } else {
            block.put("host", ask("Database host[:port]", dbHost, db.equals("postgres") ? "127.0.0.1:5432"
                    : "127.0.0.1:3306"));
            block.put("user", ask("Database user", dbUser, db.equals("postgres") ? "postgres" : "root"));
            block.put("pass", ask("Database password", dbPass, ""));
            block.put("name", ask("Database name", dbName, "semaphore"));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("dialect", db);
        config.put(db, block);
        config.put("port", ask("Port", port, ":3000"));
        config.put("tmp_path", ask("Directory for task files", tmpPath, "/tmp/semaphore"));
        config.put("web_host", ask("Public URL (empty if not known yet)", webRoot, ""));
        config.put("cookie_hash", Secrets.base64(32));
        config.put("cookie_encryption", Secrets.base64(32));
        config.put("access_key_encryption", Secrets.base64(32));
        Path target = output != null ? output : Path.of(ask("Where to write config.json", null, "config.json"));

        String login = ask("Admin login", adminLogin, "admin");
        String email = ask("Admin e-mail", adminEmail, login + "@localhost");
        String name = ask("Admin name", adminName, "Admin");
        String password = adminPassword != null ? adminPassword : askSecret("Admin password");
        if (password.isEmpty()) {
            throw new CliException("the admin password must not be empty");
        }

        // Check the values before writing anything: a bad answer leaves no file behind.
        Config loaded = new ConfigLoader(Map.of()).fromJson(new ObjectMapper().valueToTree(config));
        try (Services services = Services.open(loaded)) {
            if (services.users().findByUsername(login).isEmpty()) {
                services.users().create(null, new UserService.NewUser(login, name, email, password, true, false,
                        false));
                out.println("Admin " + login + " created.");
            } else {
                out.println("User " + login + " already exists; left as it is.");
            }
        }
        write(target, config);
        out.println("Configuration written to " + target.toAbsolutePath());
        out.println("Start the server with: semaphore server --config " + target);
        return 0;
    }

    private String ask(String question, String given, String fallback) throws IOException {
        if (given != null) {
            return given;
        }
        if (yes) {
            return fallback;
        }
        out.print(question + (fallback.isEmpty() ? "" : " [" + fallback + "]") + ": ");
        out.flush();
        String line = in.readLine();
        return line == null || line.isBlank() ? fallback : line.trim();
    }

    private String askSecret(String question) throws IOException {
        if (yes) {
            throw new CliException("--admin-password is required with --yes");
        }
        if (System.console() != null) {
            char[] typed = System.console().readPassword("%s: ", question);
            return typed == null ? "" : new String(typed);
        }
        out.print(question + ": ");
        out.flush();
        String line = in.readLine();
        return line == null ? "" : line;
    }

    private static void write(Path target, Map<String, Object> config) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(config);
        Files.writeString(target, json + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system; the file keeps the default mode.
        }
    }
}
