package dev.semaphore.upstream;

import static dev.semaphore.upstream.UpstreamDatabases.insert;
import static dev.semaphore.upstream.UpstreamDatabases.seal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.cli.SemaphoreCommand;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Database;
import dev.semaphore.db.Dialect;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.SshKeyFiles;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.user.PasswordHasher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An upstream Semaphore database (built on each engine from upstream's schema, secrets sealed as
 * upstream seals them) imported into a running server: its users sign in with their passwords and
 * tokens, its keys and variable-group secrets open, its template runs, its history reads as before,
 * and a second import adds nothing.
 */
class UpstreamImportTest {
    private static final String ALICE_PASSWORD = "alice-upstream-pass-1";
    private static final String TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=";
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 3, 1, 9, 30, 15, 123_456_789);

    @AfterAll
    static void drop() {
        TestDatabases.dropAll();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void anUpstreamDatabaseComesOverWithItsSecretsAndHistory(Dialect dialect) throws Exception {
        UpstreamDatabases.Schema schema = dialect == Dialect.SQLITE ? UpstreamDatabases.Schema.OLD
                : UpstreamDatabases.Schema.LATEST;
        ObjectNode upstreamJson = UpstreamDatabases.create(dialect, schema);
        String upstreamKey = upstreamJson.get("access_key_encryption").asText();
        Path repo = scriptsRepository();
        String privateKey = SshKeyFiles.generate("ed25519", false, "");
        try (Database upstream = UpstreamDatabases.open(upstreamJson)) {
            upstream.jdbi().useHandle(h -> fill(h, dialect, schema, upstreamKey, repo, privateKey));
        }

        ObjectNode ours = TestDatabases.freshConfigJson(dialect);
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "import");
        Path upstreamConfig = dir.resolve("upstream-config.json");
        Files.writeString(upstreamConfig, upstreamJson.toString());
        Path ourConfig = dir.resolve("config.json");
        Files.writeString(ourConfig, ours.toString());

        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(ours))) {
            UpstreamImport.Report report;
            try (Database upstream = UpstreamDatabases.open(upstreamJson)) {
                report = server.services().upstreamImport(upstream, upstreamKey, quiet()).run();
            }
            assertThat(report.imported("user")).isEqualTo(2);
            assertThat(report.imported("user__totp")).as("bob keeps his TOTP").isEqualTo(1);
            long bob = server.services().users().findByUsername("bob").orElseThrow().id();
            assertThat(server.services().totp().of(bob).orElseThrow().url()).contains("secret=JBSWY3DPEHPK3PXP");
            if (schema == UpstreamDatabases.Schema.LATEST) {
                assertThat(server.admin().get("/api/users/" + bob + "/identities").json().findValuesAsText("external_uid"))
                        .as("bob's directory entry stays his").containsExactly("uid=bob,ou=people,dc=upstream,dc=test");
            }
            assertThat(report.imported("task")).isEqualTo(4);
            assertThat(report.imported("task__output")).isEqualTo(7);
            assertThat(report.problems()).anyMatch(p -> p.contains("personal") || p.contains("user's own key"))
                    .anyMatch(p -> p.contains("(stale)") && p.contains("another key"))
                    .anyMatch(p -> p.contains("1 task(s) were still unfinished"))
                    .anyMatch(p -> p.contains("sessions"));

            // A second run, through the CLI, while the server runs: nothing new, nothing doubled.
            assertThat(SemaphoreCommand.run(new String[] {"import", "--from", upstreamConfig.toString(),
                    "--config", ourConfig.toString()})).isZero();
            try (Database upstream = UpstreamDatabases.open(upstreamJson)) {
                UpstreamImport.Report again = server.services().upstreamImport(upstream, upstreamKey, quiet()).run();
                assertThat(again.tables()).allMatch(t -> t.imported() == 0 || t.table().equals("task__output"));
                assertThat(again.imported("task__output")).isZero();
            }

            Client anonymous = server.anonymous();
            Response login = anonymous.post("/api/auth/login", Map.of("auth", "alice", "password", ALICE_PASSWORD));
            assertThat(login.status()).as("alice signs in with her upstream password").isEqualTo(204);
            Client alice = anonymous.withHeader("Authorization", "Bearer " + TOKEN);
            assertThat(alice.get("/api/user").json().get("username").asText()).isEqualTo("alice");
            JsonNode projects = alice.get("/api/projects").json();
            assertThat(projects).hasSize(1);
            long project = projects.get(0).get("id").asLong();
            assertThat(projects.get(0).get("name").asText()).isEqualTo("Upstream project");
            assertThat(alice.get("/api/project/" + project + "/role").json().get("role").asText()).isEqualTo("owner");

            Map<String, Long> keys = byName(alice.get("/api/project/" + project + "/keys").json(), "name");
            assertThat(keys).containsOnlyKeys("None", "deploy", "db", "stale");
            assertThat(server.services().keys().secret(project, keys.get("deploy")))
                    .isEqualTo(new KeySecret.Ssh("git", "", privateKey));
            assertThat(server.services().keys().secret(project, keys.get("db")))
                    .isEqualTo(new KeySecret.LoginPassword("app", "s3cret-db"));

            Map<String, Long> templates = byName(alice.get("/api/project/" + project + "/templates").json(), "name");
            assertThat(templates).containsOnlyKeys("Hello", "Deploy", "Build");
            JsonNode deploy = alice.get("/api/project/" + project + "/templates/" + templates.get("Deploy")).json();
            assertThat(deploy.get("build_template_id").asLong()).isEqualTo(templates.get("Build"));
            if (schema == UpstreamDatabases.Schema.LATEST) {
                Map<String, Long> groups = byName(alice.get("/api/project/" + project + "/environment").json(), "name");
                assertThat(deploy.get("environment_ids").toString()).as("upstream 2.17+'s several groups, in order")
                        .isEqualTo("[" + groups.get("more") + "," + groups.get("vars") + "]");
            }
            JsonNode hello = alice.get("/api/project/" + project + "/templates/" + templates.get("Hello")).json();
            assertThat(hello.get("survey_vars").get(0).get("name").asText()).isEqualTo("who");
            assertThat(hello.get("vaults")).hasSize(1);
            assertThat(hello.get("vaults").get(0).get("vault_key_id").asLong()).isEqualTo(keys.get("db"));

            // History: the finished task's lines, times and stage, as upstream had them.
            ProjectFixture fixture = new ProjectFixture(alice, project);
            JsonNode tasks = alice.get("/api/project/" + project + "/tasks").json();
            assertThat(tasks).hasSize(4);
            JsonNode done = find(tasks, "message", "first run");
            assertThat(done.get("status").asText()).isEqualTo("success");
            assertThat(fixture.output(done.get("id").asLong())).containsExactly("line 1", "line 2", "line 3",
                    "TASK [greet]", "ok: [localhost]");
            assertThat(find(tasks, "message", "left running").get("status").asText()).isEqualTo("error");
            JsonNode stages = alice.get("/api/project/" + project + "/tasks/" + done.get("id").asLong() + "/stages").json();
            assertThat(stages).hasSize(1);
            JsonNode lines = alice.get("/api/project/" + project + "/tasks/" + done.get("id").asLong() + "/output").json();
            assertThat(lines.get(0).get("time").asText()).startsWith("2025-03-01T09:30:15");

            assertThat(alice.get("/api/project/" + project + "/schedules").json().get(0).get("cron_format").asText())
                    .isEqualTo("*/5 * * * *");
            assertThat(alice.get("/api/project/" + project + "/integrations").json().get(0).get("name").asText())
                    .isEqualTo("hook");
            assertThat(alice.get("/api/project/" + project + "/events").json().toString()).contains("Upstream deployed");

            // The imported template runs here, with the variable group's secrets opened from upstream's sealing.
            long task = fixture.run(templates.get("Hello"), Map.of()).get("id").asLong();
            fixture.await(task, 60_000, "success");
            String output = fixture.plainOutput(task);
            assertThat(output).contains("token-sha=" + sha256("tok-123")).contains("pass-sha=" + sha256("pass-456"))
                    .contains("plain=p");
        }
    }

    @org.junit.jupiter.api.Test
    void whatIsNotAnUpstreamDatabaseIsRefusedAndNothingIsWritten() throws Exception {
        ObjectNode ours = TestDatabases.freshConfigJson(Dialect.SQLITE);
        ObjectNode notUpstream = TestDatabases.freshConfigJson(Dialect.SQLITE);
        try (dev.semaphore.Services other = dev.semaphore.Services.open(new ConfigLoader(Map.of()).fromJson(notUpstream))) {
            other.migrate(); // a database of this server's own: no table "user", "project" or "task" of upstream's
        }
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "import-refused");
        Path ourConfig = dir.resolve("config.json");
        Files.writeString(ourConfig, ours.toString());
        Path otherConfig = dir.resolve("other.json");
        Files.writeString(otherConfig, notUpstream.toString());
        assertThat(SemaphoreCommand.run(new String[] {"import", "--from", otherConfig.toString(), "--config",
                ourConfig.toString()})).isNotZero();
        assertThat(SemaphoreCommand.run(new String[] {"import", "--config", ourConfig.toString()}))
                .as("where upstream's database is must be said").isNotZero();
        assertThat(SemaphoreCommand.run(new String[] {"import", "--from-dialect", "sqlite", "--from-host",
                dir.resolve("absent.sqlite").toString(), "--config", ourConfig.toString()})).isNotZero();
        assertThat(Files.exists(dir.resolve("absent.sqlite"))).as("no upstream file is made").isFalse();
        try (dev.semaphore.Services services = dev.semaphore.Services.open(new ConfigLoader(Map.of()).fromJson(ours))) {
            services.migrate();
            assertThat(services.users().list(null)).isEmpty();
        }
    }

    private static UpstreamImport.Progress quiet() {
        return new UpstreamImport.Progress() {
            @Override
            public void table(UpstreamImport.TableReport table) {
            }

            @Override
            public void tasks(long done, long total, long lines, Duration elapsed) {
            }
        };
    }

    private static void fill(Handle h, Dialect d, UpstreamDatabases.Schema schema, String key, Path repo,
                             String privateKey) {
        boolean latest = schema == UpstreamDatabases.Schema.LATEST;
        PasswordHasher hasher = new PasswordHasher(4);
        insert(h, d, "option", Map.of("key", "ui.banner", "value", "moved"));
        // upstream's newer versions keep Argon2id hashes: alice's is one there, bcrypt in the older database
        insert(h, d, "user", user(latest, 11, "alice", latest ? argon2id(ALICE_PASSWORD) : hasher.hash(ALICE_PASSWORD),
                false));
        insert(h, d, "user", user(latest, 12, "bob", hasher.hash("bob-pass"), true));
        insert(h, d, "user__token", Map.of("id", TOKEN, "created", T0, "expired", false, "user_id", 11));
        insert(h, d, "user__totp", Map.of("id", 1, "user_id", 12, "url",
                "otpauth://totp/Semaphore:bob%40upstream.test?secret=JBSWY3DPEHPK3PXP&issuer=Semaphore",
                "recovery_hash", hasher.hash("RECOVERME"), "created", T0));
        if (latest) {
            insert(h, d, "user__external_identity", Map.of("id", 1, "user_id", 12, "type", "ldap", "provider", "ldap",
                    "external_uid", "uid=bob,ou=people,dc=upstream,dc=test", "created", T0));
        }
        insert(h, d, "session", Map.of("user_id", 11, "created", T0, "last_active", T0, "ip", "", "user_agent", "x",
                "expired", false));
        Map<String, Object> project = new LinkedHashMap<>(Map.of("id", 7, "created", T0, "name", "Upstream project",
                "alert", false, "max_parallel_tasks", 0));
        if (latest) {
            project.put("type", "");
        }
        insert(h, d, "project", project);
        insert(h, d, "project__user", Map.of("project_id", 7, "user_id", 11, "role", "owner"));
        insert(h, d, "project__user", Map.of("project_id", 7, "user_id", 12, "role", "manager"));

        key(h, d, latest, 1, "None", "none", 7, null, null, "");
        key(h, d, latest, 2, "deploy", "ssh", 7, seal(key, "{\"login\":\"git\",\"passphrase\":\"\",\"private_key\":"
                + dev.semaphore.common.Json.mapper().valueToTree(privateKey) + "}"), null, "");
        key(h, d, latest, 3, "db", "login_password", 7, seal(key, "{\"login\":\"app\",\"password\":\"s3cret-db\"}"),
                null, "");
        key(h, d, latest, 4, latest ? "API_TOKEN" : "env.API_TOKEN", "string", null, seal(key, "tok-123"), 1,
                "environment");
        key(h, d, latest, 5, latest ? "DB_PASS" : "var.DB_PASS", "string", null, seal(key, "pass-456"), 1, "variable");
        Map<String, Object> personal = new LinkedHashMap<>(Map.of("id", 6, "name", "mine", "type", "login_password",
                "user_id", 11, "secret", seal(key, "{\"login\":\"a\",\"password\":\"b\"}")));
        insert(h, d, "access_key", personal);
        String otherKey = java.util.Base64.getEncoder().encodeToString(dev.semaphore.common.Secrets.randomBytes(32));
        key(h, d, latest, 8, "stale", "login_password", 7, seal(otherKey, "{\"login\":\"x\",\"password\":\"y\"}"),
                null, "");

        insert(h, d, "project__repository", Map.of("id", 1, "project_id", 7, "git_url", "file://" + repo,
                "ssh_key_id", 1, "name", "scripts", "git_branch", "main"));
        insert(h, d, "project__environment", Map.of("id", 1, "project_id", 7, "json", "{\"greeting\":\"hi\"}",
                "name", "vars", "env", "{\"PLAIN\":\"p\"}"));
        insert(h, d, "project__inventory", Map.of("id", 1, "project_id", 7, "type", "static",
                "inventory", "localhost ansible_connection=local", "ssh_key_id", 1, "name", "local"));
        insert(h, d, "project__view", Map.of("id", 1, "title", "Deploys", "project_id", 7, "position", 0));

        Map<String, Object> hello = template(1, "Hello", "hello.sh", "");
        hello.put("survey_vars", "[{\"name\":\"who\",\"title\":\"Who\",\"type\":\"\",\"required\":false}]");
        hello.put("view_id", 1);
        if (!latest) {
            hello.put("vault_key_id", 3);
        }
        insert(h, d, "project__template", hello);
        Map<String, Object> deploy = template(2, "Deploy", "hello.sh", "deploy");
        deploy.put("build_template_id", 3); // a build template that comes after it
        insert(h, d, "project__template", deploy);
        Map<String, Object> build = template(3, "Build", "hello.sh", "build");
        build.put("start_version", "1.0.0");
        insert(h, d, "project__template", build);
        if (latest) {
            insert(h, d, "project__template_vault", Map.of("project_id", 7, "template_id", 1, "vault_key_id", 3,
                    "name", "", "type", "password"));
            insert(h, d, "project__environment", Map.of("id", 2, "project_id", 7, "json", "{\"greeting\":\"hey\"}",
                    "name", "more", "env", "{}"));
            insert(h, d, "project__template_environment", Map.of("template_id", 2, "environment_id", 2,
                    "project_id", 7));
            insert(h, d, "project__template_environment", Map.of("template_id", 2, "environment_id", 1,
                    "project_id", 7));
        }

        Map<String, Object> schedule = new LinkedHashMap<>(Map.of("id", 1, "template_id", 1, "project_id", 7,
                "cron_format", "*/5 * * * *", "name", "every five", "active", true));
        if (latest) {
            schedule.put("task_params", "{}");
        }
        insert(h, d, "project__schedule", schedule);
        insert(h, d, "project__integration", Map.of("id", 1, "name", "hook", "project_id", 7, "template_id", 1,
                "auth_method", "none", "searchable", false));
        insert(h, d, "project__integration_matcher", Map.of("name", "on main", "integration_id", 1,
                "match_type", "body", "method", "equals", "body_data_type", "json", "key", "ref", "value", "main"));
        insert(h, d, "project__integration_extract_value", Map.of("name", "sha", "integration_id", 1,
                "value_source", "body", "body_data_type", "json", "key", "after", "variable", "SHA",
                "variable_type", "environment"));
        insert(h, d, "project__integration_alias", Map.of("alias", "upstreamalias" + System.nanoTime(),
                "project_id", 7, "integration_id", 1));

        insert(h, d, "task", task(1, 1, "success", "first run", null));
        insert(h, d, "task", task(2, 1, "error", "second run", null));
        insert(h, d, "task", task(3, 1, "running", "left running", null));
        insert(h, d, "task", task(4, 3, "success", "a build", null));
        String[] output = {"line 1", "line 2", "line 3", "TASK [greet]", "ok: [localhost]"};
        for (int i = 0; i < output.length; i++) {
            insert(h, d, "task__output", Map.of("id", 100 + i, "task_id", 1, "time", T0.plusSeconds(i),
                    "output", output[i]));
        }
        insert(h, d, "task__output", Map.of("id", 200, "task_id", 2, "time", T0, "output", "about to fail"));
        insert(h, d, "task__output", Map.of("id", 201, "task_id", 2, "time", T0, "output", "exit 3"));
        insert(h, d, "task__stage", Map.of("id", 1, "task_id", 1, "start", T0, "end", T0.plusSeconds(4),
                "start_output_id", 103, "type", "print_result"));
        insert(h, d, "task__stage_result", Map.of("task_id", 1, "stage_id", 1, "json", "{\"ok\":1}"));
        insert(h, d, "event", Map.of("project_id", 7, "object_id", 1, "object_type", "task",
                "description", "Upstream deployed the thing", "created", T0, "user_id", 11));
    }

    private static Map<String, Object> user(boolean latest, int id, String name, String hash, boolean admin) {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("id", id, "created", T0, "username", name,
                "name", name.toUpperCase(), "email", name + "@upstream.test", "password", hash, "admin", admin,
                "external", false, "alert", false));
        if (latest) {
            row.put("pro", false);
        }
        return row;
    }

    private static void key(Handle h, Dialect d, boolean latest, int id, String name, String type, Integer project,
                            String secret, Integer environment, String owner) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id);
        row.put("name", name);
        row.put("type", type);
        row.put("project_id", project == null ? 7 : project);
        row.put("secret", secret);
        row.put("environment_id", environment);
        if (latest) {
            row.put("owner", owner);
        }
        insert(h, d, "access_key", row);
    }

    private static Map<String, Object> template(int id, String name, String playbook, String type) {
        return new LinkedHashMap<>(Map.of("id", id, "project_id", 7, "inventory_id", 1, "repository_id", 1,
                "environment_id", 1, "playbook", playbook, "arguments", "[]", "name", name, "type", type,
                "app", "bash"));
    }

    private static Map<String, Object> task(int id, int template, String status, String message, Integer build) {
        Map<String, Object> row = new LinkedHashMap<>(Map.of("id", id, "template_id", template, "status", status,
                "playbook", "hello.sh", "created", T0, "start", T0, "user_id", 11, "project_id", 7,
                "message", message, "commit_message", ""));
        row.put("end", status.equals("running") ? null : T0.plusSeconds(5));
        row.put("build_task_id", build);
        row.put("params", "{}");
        return row;
    }

    private static Path scriptsRepository() throws Exception {
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "upstream-scripts");
        Files.writeString(repo.resolve("hello.sh"), """
                echo "token-sha=$(printf %s "$API_TOKEN" | sha256sum | cut -d' ' -f1)"
                echo "pass-sha=$(printf %s "$DB_PASS" | sha256sum | cut -d' ' -f1)"
                echo "plain=$PLAIN"
                """);
        dev.semaphore.testing.GitRepos.commitAll(repo);
        return repo;
    }

    private static Map<String, Long> byName(JsonNode list, String field) {
        Map<String, Long> ids = new LinkedHashMap<>();
        list.forEach(item -> ids.put(item.get(field).asText(), item.get("id").asLong()));
        return ids;
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.path(field).asText())) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " = " + value + " in " + list);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** An Argon2id hash in the PHC form upstream writes (small costs: a test's). */
    private static String argon2id(String password) {
        byte[] salt = dev.semaphore.common.Secrets.randomBytes(16);
        var generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(1024).withIterations(2).withParallelism(1).withSalt(salt).build());
        byte[] out = new byte[32];
        generator.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=1024,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }
}
