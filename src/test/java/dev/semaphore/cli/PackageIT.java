package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code .deb} the build makes, installed on this machine with dpkg: the command on the PATH, the
 * {@code semaphore} user, a config of its own; the server started as the systemd unit would start it
 * (its user, folder and command line: no systemd runs here) runs a task; installed over the previous
 * version's package it keeps the config and the data; a purge removes the config. Needs root and
 * dpkg, as CI has; skipped otherwise.
 */
class PackageIT {
    private static final Path UNIT = Path.of("/lib/systemd/system/semaphore.service");
    private static final Path CONFIG = Path.of("/etc/semaphore/config.json");
    private static Path deb;
    private static Path work;

    @BeforeAll
    static void packageBuilt() throws Exception {
        assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "installing a package needs root (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg is needed");
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            deb = files.filter(f -> f.getFileName().toString().matches("semaphore_.*_amd64\\.deb")).findFirst()
                    .orElse(null);
        }
        assumeTrue(deb != null, "no .deb in target/ (built unless -Dskip.deb)");
        assumeTrue(run("dpkg", "-s", "semaphore").exit() != 0 || removeLeftover(),
                "a semaphore package is installed on this machine and is not ours to remove");
        work = Files.createTempDirectory("semaphore-package-it");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void uninstall() throws Exception {
        if (deb != null && work != null) {
            run("dpkg", "--purge", "semaphore");
            run("rm", "-rf", "/var/lib/semaphore", work.toString());
            run("userdel", "semaphore");
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void nothingInstalled() throws Exception {
        run("dpkg", "--purge", "semaphore");
        run("rm", "-rf", "/var/lib/semaphore");
    }

    @Test
    void installRunATaskAndPurge() throws Exception {
        install(deb);
        assertThat(Path.of("/usr/bin/semaphore")).isExecutable();
        assertThat(run("id", "-u", "semaphore").exit()).as("the semaphore user").isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(CONFIG))).isEqualTo("rw-r-----");
        assertThat(Files.getOwner(CONFIG).getName()).isEqualTo("root");
        assertThat(Files.readString(CONFIG)).contains("/var/lib/semaphore/database.sqlite");
        assertThat(run("/usr/bin/semaphore", "version").out()).as("the runtime inside the package runs the jar")
                .contains("0.1.0");
        String token = admin();
        try (Server server = Server.start()) {
            JarApi api = new JarApi(server.port, token);
            long project = api.post("/api/projects", "{\"name\": \"packaged\"}").get("id").asLong();
            runHello(api, project, template(api, project));
        }
        purge();
    }

    /**
     * The previous version's jar (built from git, as the rolling-upgrade test does) packaged by this
     * build's scripts, installed, used, then this package installed over it: the config and the data
     * stay, the newer server migrates the database and runs tasks on it.
     */
    @Test
    void anUpgradeFromThePreviousVersionsPackageKeepsTheData() throws Exception {
        Path previousJar = PreviousVersion.jar(); // skipped, saying why, without git history
        Path previous = Files.createDirectories(work.resolve("previous"));
        Result built = run("bash", "packaging/deb/build.sh", "0.0.9", previousJar.toString(), previous.toString());
        assertThat(built.exit()).as(built.out()).isZero();
        Path previousDeb;
        try (Stream<Path> files = Files.list(previous)) {
            previousDeb = files.filter(f -> f.toString().endsWith(".deb")).findFirst().orElseThrow();
        }
        install(previousDeb);
        byte[] config = Files.readAllBytes(CONFIG);
        String token = admin();
        long project;
        long template;
        try (Server server = Server.start()) {
            JarApi api = new JarApi(server.port, token);
            project = api.post("/api/projects", "{\"name\": \"before the upgrade\"}").get("id").asLong();
            template = template(api, project);
            runHello(api, project, template);
        }

        Result upgraded = run("dpkg", "-i", deb.toString());
        assertThat(upgraded.exit()).as(upgraded.out()).isZero();
        assertThat(run("dpkg-query", "-W", "-f=${Version}", "semaphore").out()).startsWith("0.1.0");
        assertThat(Files.readAllBytes(CONFIG)).as("the upgrade keeps the config and its keys").isEqualTo(config);
        try (Server server = Server.start()) {
            JarApi api = new JarApi(server.port, token);
            String base = "/api/project/" + project;
            assertThat(api.get(base).get("name").asText()).isEqualTo("before the upgrade");
            JsonNode tasks = api.get(base + "/tasks");
            assertThat(tasks.size()).as("the task run before the upgrade").isEqualTo(1);
            assertThat(api.get(base + "/tasks/" + tasks.get(0).get("id").asLong() + "/output").toString())
                    .contains("hello from semaphore");
            runHello(api, project, template);
        }
        purge();
    }

    private static void install(Path packageFile) throws Exception {
        Result installed = run("dpkg", "-i", packageFile.toString());
        assertThat(installed.exit()).as(installed.out()).isZero();
        assertThat(installed.out()).contains("wrote /etc/semaphore/config.json");
    }

    private static void purge() throws Exception {
        Result purged = run("dpkg", "--purge", "semaphore");
        assertThat(purged.exit()).as(purged.out()).isZero();
        assertThat(Path.of("/usr/bin/semaphore")).doesNotExist();
        assertThat(Path.of("/etc/semaphore")).as("a purge removes the config").doesNotExist();
        assertThat(Path.of("/var/lib/semaphore/database.sqlite")).as("and keeps the data").exists();
        run("rm", "-rf", "/var/lib/semaphore");
    }

    /** An admin made with the CLI as the unit's user; answers an API token of theirs. */
    private static String admin() throws Exception {
        Result admin = asUnitUser("user", "add", "--login", "admin", "--email", "admin@example.test",
                "--password", "packaged-pw", "--admin");
        assertThat(admin.exit()).as(admin.out()).isZero();
        return asUnitUser("user", "token", "create", "--login", "admin").out().strip();
    }

    /** A bash template running a script of a folder the semaphore user can read. */
    private static long template(JarApi api, long project) throws Exception {
        Path repo = Files.createDirectories(work.resolve("scripts"));
        Files.setPosixFilePermissions(repo, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(repo.resolve("hello.sh"), "echo \"hello from $(id -un)\"\n");
        String base = "/api/project/" + project;
        long key = api.get(base + "/keys").get(0).get("id").asLong();
        long repository = api.post(base + "/repositories", "{\"name\": \"scripts\", \"git_url\": \"" + repo
                + "\", \"ssh_key_id\": " + key + "}").get("id").asLong();
        return api.post(base + "/templates", "{\"name\": \"hello\", \"app\": \"bash\", \"playbook\": "
                + "\"hello.sh\", \"repository_id\": " + repository + "}").get("id").asLong();
    }

    private static void runHello(JarApi api, long project, long template) throws Exception {
        String base = "/api/project/" + project;
        long task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
        assertThat(api.awaitStatus(base + "/tasks/" + task, "success", "error").get("status").asText())
                .isEqualTo("success");
        assertThat(api.get(base + "/tasks/" + task + "/output").toString()).contains("hello from semaphore");
    }

    /** The server as the unit starts it: its user and group, folder, environment and command line. */
    private record Server(Process process, int port) implements AutoCloseable {
        static Server start() throws Exception {
            Map<String, String> unit = unitSettings();
            int port = JarApi.freePort();
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.get("User"),
                    "--regid=" + unit.get("Group"), "--init-groups", "--"));
            command.addAll(Arrays.asList(unit.get("ExecStart").split(" ")));
            ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of(unit.get("WorkingDirectory"))
                    .toFile()).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile());
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            String[] home = unit.get("Environment").split("=", 2);
            builder.environment().put(home[0], home[1]);
            builder.environment().put("SEMAPHORE_PORT", ":" + port); // the unit's port 3000 may be taken here
            Process process = builder.start();
            try {
                JarApi.waitForPing(port);
            } catch (AssertionError e) {
                process.destroyForcibly();
                throw new AssertionError(Files.readString(work.resolve("server.log")), e);
            }
            return new Server(process, port);
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM, as systemctl stop
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        }
    }

    private static Map<String, String> unitSettings() throws Exception {
        Map<String, String> settings = new HashMap<>();
        for (String line : Files.readAllLines(UNIT)) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                settings.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertThat(settings).containsKeys("User", "Group", "WorkingDirectory", "ExecStart", "Environment");
        return settings;
    }

    private static Result asUnitUser(String... args) throws Exception {
        Map<String, String> unit = unitSettings();
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.get("User"),
                "--regid=" + unit.get("Group"), "--init-groups", "--", "/usr/bin/semaphore"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    private static boolean removeLeftover() throws Exception {
        // An earlier run of this test that was cut short leaves its own package behind.
        return run("dpkg", "-s", "semaphore").out().contains("Maintainer: Semaphore (Java implementation)")
                && run("dpkg", "--purge", "semaphore").exit() == 0;
    }

    private record Result(int exit, String out) {
    }

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), out);
    }
}
