package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI verbs, run from the built jar in a subprocess against a SQLite file. */
class CliIT {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("SEMAPHORE_DB_DIALECT", "sqlite", "SEMAPHORE_DB_HOST", dir.resolve("db.sqlite").toString());
    }

    private Jar.Result run(String... args) throws Exception {
        return Jar.run(dir, env(), null, withNoConfig(args));
    }

    private static String[] withNoConfig(String... args) {
        String[] all = new String[args.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--no-config";
        return all;
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Jar.Result result = Jar.run(dir, Map.of(), null, "version");
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out().trim()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void everyVerbAndSubverbAnswersHelp() throws Exception {
        for (String[] verb : new String[][] {{"server"}, {"setup"}, {"migrate"}, {"version"}, {"user"},
                {"user", "add"}, {"user", "list"}, {"user", "get"}, {"user", "change-by-login"},
                {"user", "change-by-email"}, {"user", "delete"}, {"user", "token"}, {"user", "token", "create"},
                {"user", "token", "list"}, {"projects"}, {"projects", "export"}, {"projects", "import"}}) {
            String[] args = java.util.Arrays.copyOf(verb, verb.length + 1);
            args[verb.length] = "--help";
            Jar.Result help = Jar.run(dir, Map.of(), null, args);
            assertThat(help.exit()).as(String.join(" ", args) + ": " + help.err()).isZero();
            assertThat(help.out()).as(String.join(" ", args)).contains("Usage:").contains(verb[verb.length - 1]);
        }
    }

    @Test
    void projectsAreImportedFromUpstreamBackupsAndExportedAgain() throws Exception {
        assertThat(run("user", "add", "--login", "root", "--email", "root@example.test", "--password", "pw", "--admin")
                .exit()).isZero();
        String backup = """
                {"meta": {"name": "ops", "alert": false, "max_parallel_tasks": 0},
                 "keys": [{"name": "None", "type": "none"}, {"name": "deploy", "type": "ssh"}],
                 "repositories": [{"name": "app", "git_url": "https://git.example.test/app.git", "git_branch": "main",
                                   "ssh_key": "deploy"}],
                 "templates": [{"name": "site", "app": "bash", "playbook": "site.sh", "repository": "app",
                                "survey_vars": []}]}
                """;
        java.nio.file.Files.writeString(dir.resolve("ops.json"), backup);
        Jar.Result imported = run("projects", "import", "--file", dir.resolve("ops.json").toString());
        assertThat(imported.exit()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("project ops");

        java.nio.file.Path many = java.nio.file.Files.createDirectories(dir.resolve("many"));
        java.nio.file.Files.writeString(many.resolve("a.backup"), backup.replace("\"ops\"", "\"ops-a\""));
        java.nio.file.Files.writeString(many.resolve("b.bk"), backup.replace("\"repository\": \"app\"", "\"repository\": \"nowhere\"")
                .replace("\"ops\"", "\"ops-b\""));
        Jar.Result partly = run("projects", "import", "--dir", many.toString());
        assertThat(partly.exit()).as("one of two refused").isEqualTo(1);
        assertThat(partly.out()).contains("project ops-a");
        assertThat(partly.err()).contains("b.bk").contains("nowhere");

        java.nio.file.Path out = dir.resolve("out.json");
        Jar.Result exported = run("projects", "export", "--project-name", "ops", "--file", out.toString());
        assertThat(exported.exit()).as(exported.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode written = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readString(out));
        assertThat(written.get("meta").get("name").asText()).isEqualTo("ops");
        assertThat(written.get("templates").get(0).get("repository").asText()).isEqualTo("app");
        assertThat(written.get("keys").findValuesAsText("name")).contains("deploy");
        assertThat(run("projects", "export", "--project-name", "nope", "--file", out.toString()).err())
                .contains("no project named nope");
    }

    @Test
    void migrateAppliesAndReportsTheSchemaVersion() throws Exception {
        Jar.Result status = run("migrate", "--status");
        assertThat(status.exit()).as(status.toString()).isZero();
        assertThat(status.out()).contains("schema version: none").containsPattern("pending migrations: [1-9]");
        Jar.Result partly = run("migrate", "--apply-to", "3");
        assertThat(partly.out()).as(partly.toString()).contains("schema version: 3");
        assertThat(run("migrate", "--status").out()).contains("schema version: 3").containsPattern("pending migrations: [1-9]");
        assertThat(run("migrate", "--apply-to", "999").err()).contains("no such schema version");
        Jar.Result migrated = run("migrate");
        assertThat(migrated.exit()).as(migrated.toString()).isZero();
        assertThat(migrated.out()).containsPattern("schema version: \\d+");
        Jar.Result after = run("migrate", "--status");
        assertThat(after.out()).contains("pending migrations: 0").doesNotContain("schema version: none");
        Jar.Result undo = run("migrate", "--undo-to", "1");
        assertThat(undo.exit()).isNotZero();
        assertThat(undo.err().trim()).startsWith("error:").doesNotContain("\n");
    }

    @Test
    void userVerbsManageUsers() throws Exception {
        Jar.Result add = run("user", "add", "--login", "Alice", "--name", "Alice A", "--email", "alice@example.test",
                "--password", "wonderland", "--admin");
        assertThat(add.exit()).as(add.toString()).isZero();
        assertThat(run("user", "add", "--login", "bob", "--email", "bob@example.test", "--password", "pw").exit())
                .isZero();

        Jar.Result list = run("user", "list");
        assertThat(list.out().lines()).contains("Alice", "bob");

        Jar.Result get = run("user", "get", "--login", "alice");
        assertThat(get.exit()).as(get.toString()).isZero();
        assertThat(get.out()).contains("alice@example.test").contains("admin:    true");

        Jar.Result duplicate = run("user", "add", "--login", "alice", "--email", "other@example.test",
                "--password", "x");
        assertThat(duplicate.exit()).isNotZero();
        assertThat(duplicate.err().trim()).isEqualTo("error: a user with login 'alice' already exists");

        assertThat(run("user", "change-by-login", "--login", "bob", "--name", "Bobby", "--password", "new").exit())
                .isZero();
        assertThat(run("user", "get", "--email", "bob@example.test").out()).contains("name:     Bobby");
        assertThat(run("user", "change-by-email", "--email", "bob@example.test", "--login", "robert").exit())
                .isZero();
        assertThat(run("user", "list").out().lines()).contains("robert").doesNotContain("bob");

        Jar.Result missing = run("user", "get", "--login", "nobody");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err().trim()).isEqualTo("error: no user with login nobody");

        assertThat(run("user", "delete", "--login", "robert").exit()).isZero();
        assertThat(run("user", "list").out().lines()).doesNotContain("robert");

        // Passwords are bcrypt hashes at upstream's cost.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("db.sqlite"));
             ResultSet rs = c.createStatement().executeQuery("SELECT password FROM users")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("$2a$10$").doesNotContain("wonderland");
        }
    }

    @Test
    void tokenCreateAndListWork() throws Exception {
        run("user", "add", "--login", "ci", "--email", "ci@example.test", "--password", "pw");
        Jar.Result created = run("user", "token", "create", "--login", "ci", "--name", "pipeline", "--ttl", "24h");
        assertThat(created.exit()).as(created.toString()).isZero();
        String token = created.out().trim();
        assertThat(token).hasSizeGreaterThan(30);
        Jar.Result list = run("user", "token", "list", "--login", "ci");
        assertThat(list.out()).contains(token.substring(0, 8)).contains("active").contains("pipeline")
                .doesNotContain(token);
        Jar.Result badTtl = run("user", "token", "create", "--login", "ci", "--ttl", "forever");
        assertThat(badTtl.exit()).isNotZero();
        assertThat(badTtl.err()).contains("--ttl");
    }

    @Test
    void aSecondServerOnTheSameSqliteFileRefusesToStart() throws Exception {
        Map<String, String> first = new java.util.HashMap<>(env());
        first.put("SEMAPHORE_PORT", Integer.toString(JarApi.freePort()));
        Process server = Jar.builder(dir, first, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            JarApi.waitForPing(Integer.parseInt(first.get("SEMAPHORE_PORT")));
            Map<String, String> second = new java.util.HashMap<>(env());
            second.put("SEMAPHORE_PORT", Integer.toString(JarApi.freePort()));
            Jar.Result refused = Jar.run(dir, second, null, "server", "--no-config");
            assertThat(refused.exit()).as(refused.toString()).isNotZero();
            assertThat(refused.err() + refused.out()).contains("another semaphore server is running on the SQLite"
                    + " database").contains("PostgreSQL or MySQL");
            assertThat(run("user", "list").exit()).as("the CLI still works beside the server").isZero();
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
        // Killed outright, the first leaves no lock behind.
        Map<String, String> again = new java.util.HashMap<>(env());
        again.put("SEMAPHORE_PORT", Integer.toString(JarApi.freePort()));
        Process next = Jar.builder(dir, again, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("next.log").toFile()).start();
        try {
            JarApi.waitForPing(Integer.parseInt(again.get("SEMAPHORE_PORT")));
        } finally {
            next.destroy();
            next.waitFor();
        }
    }

    @Test
    void badConfigurationStopsWithTheKeyNamed() throws Exception {
        Map<String, String> env = Map.of("SEMAPHORE_PORT", "abc", "SEMAPHORE_DB_HOST",
                dir.resolve("x.sqlite").toString());
        Jar.Result result = Jar.run(dir, env, null, "server", "--no-config");
        assertThat(result.exit()).isNotZero();
        assertThat(result.err().trim()).isEqualTo(
                "error: invalid value for port (SEMAPHORE_PORT): \"abc\" must be a port number such as :3000");

        Jar.Result unreachable = Jar.run(dir, Map.of("SEMAPHORE_DB_DIALECT", "postgres", "SEMAPHORE_DB_HOST",
                "127.0.0.1:1", "SEMAPHORE_DB_PASS", "hunter2"), null, "user", "list", "--no-config");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.err().trim()).startsWith("error: cannot connect to the postgres database at 127.0.0.1:1")
                .doesNotContain("\n").doesNotContain("hunter2");

        Files.writeString(dir.resolve("config.json"), "{\"dialect\": \"oracle\"}");
        Jar.Result fromFile = Jar.run(dir, Map.of(), null, "user", "list", "--config", "config.json");
        assertThat(fromFile.exit()).isNotZero();
        assertThat(fromFile.err()).contains("dialect").contains("sqlite, postgres, mysql");
    }

    @Test
    void setupWithFlagsWritesAConfigWithFreshSecretsAndAnAdmin() throws Exception {
        Path config = dir.resolve("etc/config.json");
        Jar.Result setup = Jar.run(dir, Map.of(), null, "setup", "--yes", "--dialect", "sqlite",
                "--db-host", dir.resolve("setup.sqlite").toString(), "--port", ":3999", "--output", config.toString(),
                "--admin-login", "root", "--admin-email", "root@example.test", "--admin-password", "s3cret");
        assertThat(setup.exit()).as(setup.toString()).isZero();
        assertThat(setup.out()).contains("Admin root created");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        JsonNode json = new ObjectMapper().readTree(config.toFile());
        assertThat(json.get("dialect").asText()).isEqualTo("sqlite");
        assertThat(json.get("port").asText()).isEqualTo(":3999");
        for (String secret : new String[] {"cookie_hash", "cookie_encryption", "access_key_encryption"}) {
            assertThat(Base64.getDecoder().decode(json.get(secret).asText())).hasSize(32);
        }
        Jar.Result list = Jar.run(dir, Map.of(), null, "user", "list", "--config", config.toString());
        assertThat(list.out().lines()).containsExactly("root");

        Jar.Result noPassword = Jar.run(dir, Map.of(), null, "setup", "--yes", "--output",
                dir.resolve("other.json").toString());
        assertThat(noPassword.exit()).isNotZero();
        assertThat(noPassword.err().trim()).isEqualTo("error: --admin-password is required with --yes");
        assertThat(dir.resolve("other.json")).doesNotExist();
    }

    @Test
    void setupAsksItsQuestionsInteractively() throws Exception {
        String answers = String.join("\n", "sqlite", dir.resolve("wizard.sqlite").toString(), ":3777",
                dir.resolve("tmp").toString(), "", dir.resolve("wizard.json").toString(), "boss",
                "boss@example.test", "The Boss", "hunter22") + "\n";
        Jar.Result setup = Jar.run(dir, Map.of(), answers, "setup");
        assertThat(setup.exit()).as(setup.toString()).isZero();
        assertThat(setup.out()).contains("Database (sqlite, postgres, mysql) [sqlite]:").contains("Admin password:");
        JsonNode json = new ObjectMapper().readTree(dir.resolve("wizard.json").toFile());
        assertThat(json.get("port").asText()).isEqualTo(":3777");
        assertThat(json.path("sqlite").path("host").asText()).isEqualTo(dir.resolve("wizard.sqlite").toString());
        Jar.Result get = Jar.run(dir, Map.of(), null, "user", "get", "--login", "boss", "--config",
                dir.resolve("wizard.json").toString());
        assertThat(get.out()).contains("The Boss").contains("admin:    true");
    }

    @Test
    void serverCreatesTheAdminFromTheEnvironmentAndServesTheApi() throws Exception {
        int port = JarApi.freePort();
        Files.writeString(dir.resolve("admin-password"), "opspass\n");
        Map<String, String> env = Map.of("SEMAPHORE_DB_HOST", dir.resolve("srv.sqlite").toString(),
                "SEMAPHORE_PORT", ":" + port, "SEMAPHORE_ADMIN", "ops",
                "SEMAPHORE_ADMIN_PASSWORD_FILE", dir.resolve("admin-password").toString(),
                "SEMAPHORE_ADMIN_EMAIL", "ops@example.test");
        Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            JarApi.waitForPing(port);
            HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"auth\":\"ops\",\"password\":\"opspass\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(204);
            assertThat(Files.readString(dir.resolve("server.log"))).doesNotContain("opspass");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void logFormatJsonWritesTheServerLogAsJsonLines() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = Map.of("SEMAPHORE_DB_HOST", dir.resolve("json.sqlite").toString(),
                "SEMAPHORE_PORT", ":" + port, "SEMAPHORE_ADMIN", "ops", "SEMAPHORE_ADMIN_PASSWORD", "opspass-json",
                "SEMAPHORE_LOG_FORMAT", "json");
        Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("json.log").toFile()).start();
        try {
            JarApi.waitForPing(port);
            // The line is written just after the server answers; stopping it at once could come first.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.readString(dir.resolve("json.log")).contains("Semaphore listening on port")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
        java.util.List<String> lines = Files.readAllLines(dir.resolve("json.log"));
        assertThat(lines).noneMatch(line -> line.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ (INFO|WARN|ERROR) .*"));
        java.util.List<JsonNode> logged = new java.util.ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("{")) {
                logged.add(new ObjectMapper().readTree(line));
            }
        }
        assertThat(logged).anySatisfy(entry -> {
            assertThat(entry.path("level").asText()).isEqualTo("INFO");
            assertThat(entry.path("formattedMessage").asText()).startsWith("Semaphore listening on port " + port);
            assertThat(entry.path("loggerName").asText()).isEqualTo("dev.semaphore.cli.ServerCommand");
        });
    }

    @Test
    void syslogReceivesTheServerLog() throws Exception {
        try (java.net.DatagramSocket daemon = new java.net.DatagramSocket(0,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            daemon.setSoTimeout(1000);
            int port = JarApi.freePort();
            Map<String, String> env = Map.of("SEMAPHORE_DB_HOST", dir.resolve("syslog.sqlite").toString(),
                    "SEMAPHORE_PORT", ":" + port, "SEMAPHORE_ADMIN", "ops", "SEMAPHORE_ADMIN_PASSWORD", "opspass-sys",
                    "SEMAPHORE_SYSLOG_ENABLED", "true", "SEMAPHORE_SYSLOG_ADDRESS", "127.0.0.1:" + daemon.getLocalPort(),
                    "SEMAPHORE_SYSLOG_TAG", "semaphore-test");
            Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("syslog.log").toFile()).start();
            java.util.List<String> received = new java.util.ArrayList<>();
            try {
                JarApi.waitForPing(port);
                long deadline = System.currentTimeMillis() + 15_000;
                while (System.currentTimeMillis() < deadline
                        && received.stream().noneMatch(m -> m.contains("Semaphore listening on port " + port))) {
                    byte[] buffer = new byte[8192];
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                    try {
                        daemon.receive(packet);
                        received.add(new String(packet.getData(), 0, packet.getLength(),
                                java.nio.charset.StandardCharsets.UTF_8));
                    } catch (java.net.SocketTimeoutException quiet) {
                        // keep listening until the deadline
                    }
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
            // <30> is facility daemon (3) with severity info (6).
            assertThat(received).anySatisfy(message -> assertThat(message).startsWith("<30>")
                    .contains("semaphore-test: INFO").contains("Semaphore listening on port " + port));
        }
    }

    @Test
    void aFreshServerWithoutAdminSettingsPrintsAGeneratedPasswordOnce() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = Map.of("SEMAPHORE_DB_HOST", dir.resolve("gen.sqlite").toString(),
                "SEMAPHORE_PORT", String.valueOf(port));
        String password = null;
        for (int start = 0; start < 2; start++) {
            Path log = dir.resolve("gen" + start + ".log");
            Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            try {
                JarApi.waitForPing(port);
                String output = Files.readString(log);
                if (start == 0) {
                    password = output.lines().filter(l -> l.contains("password:")).findFirst().orElseThrow()
                            .replaceAll(".*password:\\s*", "").trim();
                    HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/api/auth/login"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"auth\":\"admin\",\"password\":\"" + password + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(login.statusCode()).isEqualTo(204);
                } else {
                    assertThat(output).doesNotContain("password:");
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        assertThat(password).hasSize(20);
    }

    @Test
    void aServerKilledMidTaskFailsTheTaskAndEndsItsProcessesOnTheNextStart() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("tmp").toString());
        assertThat(run("user", "add", "--login", "ops", "--email", "ops@example.test", "--password", "pw",
                "--admin").exit()).isZero();
        String token = run("user", "token", "create", "--login", "ops").out().trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path childPid = dir.resolve("child.pid");
        Files.writeString(scripts.resolve("long.sh"), "echo started\nsleep 300 &\necho $! > " + childPid
                + "\nwait\n");
        JarApi api = new JarApi(port, token);

        Process first = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        long project;
        long task;
        try {
            JarApi.waitForPing(port);
            project = api.post("/api/projects", "{\"name\": \"crash\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long key = api.get(base + "/keys").get(0).get("id").asLong();
            long repository = api.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                    + "\", \"git_branch\": \"\", \"ssh_key_id\": " + key + "}").get("id").asLong();
            long template = api.post(base + "/templates", "{\"name\": \"t\", \"app\": \"bash\", \"playbook\":"
                    + " \"long.sh\", \"repository_id\": " + repository + "}").get("id").asLong();
            task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            long deadline = System.currentTimeMillis() + 30_000;
            while (!(Files.exists(childPid) && !Files.readString(childPid).isBlank())
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(api.get(base + "/tasks/" + task).get("status").asText()).isEqualTo("running");
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to record anything
            first.waitFor();
        }
        long sleeper = Long.parseLong(Files.readString(childPid).trim());
        assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive)).as("the task's child outlived the server")
                .contains(true);

        Process second = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("second.log").toFile()).start();
        try {
            JarApi.waitForPing(port);
            String base = "/api/project/" + project + "/tasks/" + task;
            JsonNode state = api.get(base);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!state.get("status").asText().equals("error") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                state = api.get(base);
            }
            assertThat(state.get("status").asText()).isEqualTo("error");
            assertThat(api.get(base + "/output").toString()).as("the dead process named")
                    .containsPattern("The server process on \\S+ \\(pid " + first.pid() + "\\) stopped while this task"
                            + " was running");
            deadline = System.currentTimeMillis() + 10_000;
            while (ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false))
                    .as("the task's leftover process was ended").isFalse();
        } finally {
            second.destroy();
            second.waitFor();
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
