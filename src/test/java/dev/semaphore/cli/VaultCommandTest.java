package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.secret.Vault;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code semaphore vault check|rekey} (the CLI's own entry point, in this JVM) on a database whose
 * secrets a server sealed: a change of access_key_encryption moves every secret to the new key, and
 * a server with only the new key reads them all.
 */
class VaultCommandTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aKeyChangeReSealsEverySecretInOneGo(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        String oldKey = json.get("access_key_encryption").asText();
        long project;
        long key;
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            ProjectFixture p = ProjectFixture.create(server, "vault");
            project = p.project();
            key = p.create("/keys", Map.of("name", "db", "type", "login_password",
                    "login_password", Map.of("login", "app", "password", "rotate-me-42")));
            p.create("/environment", Map.of("name", "vars", "secrets", List.of(Map.of("name", "TOKEN", "type", "env",
                    "secret", "env-secret-7"))));
        }
        String newKey = Base64.getEncoder().encodeToString(dev.semaphore.common.Secrets.randomBytes(32));
        json.put("access_key_encryption", newKey);
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "vault");
        Path config = dir.resolve("config.json");
        Files.writeString(config, json.toString());

        // During a rolling change a server given the old key as well reads secrets sealed with either.
        ObjectNode rolling = json.deepCopy().put("access_key_encryption_old", oldKey);
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(rolling))) {
            assertThat(server.services().keys().secret(project, key))
                    .isEqualTo(new KeySecret.LoginPassword("app", "rotate-me-42"));
        }
        assertThat(SemaphoreCommand.run(new String[] {"vault", "check", "--config", config.toString()}))
                .as("the old key is not configured").isEqualTo(1);
        assertThat(SemaphoreCommand.run(new String[] {"vault", "rekey", "--config", config.toString()}))
                .as("without the old key nothing can be re-sealed").isEqualTo(1);
        Path backup = dir.resolve("old-secrets.jsonl");
        assertThat(SemaphoreCommand.run(new String[] {"vault", "rekey", "--old-key", oldKey, "--backup",
                backup.toString(), "--config", config.toString()})).isZero();
        assertThat(Files.readAllLines(backup)).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(line -> line.contains("\"value\":\"v1:"));
        assertThat(SemaphoreCommand.run(new String[] {"vault", "check", "--config", config.toString()})).isZero();

        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            assertThat(server.services().keys().secret(project, key))
                    .isEqualTo(new KeySecret.LoginPassword("app", "rotate-me-42"));
            long environment = server.services().environments().list(project, null, null).stream()
                    .filter(e -> e.name().equals("vars")).findFirst().orElseThrow().id();
            assertThat(server.services().environments().secretValues(project, environment, "env"))
                    .containsEntry("TOKEN", "env-secret-7");
        }
    }

    /**
     * Tasks start and run while every secret is re-sealed under a new key (the server holds both):
     * each task gets its key's and variable group's secrets, and none is lost.
     */
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aRekeyUnderRunningTasksLosesNothing(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        String oldKey = json.get("access_key_encryption").asText();
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "rekey-scripts");
        Files.writeString(repo.resolve("use.sh"), "sleep 0.3\necho \"sha=$(printf %s \"$TOKEN\" | sha256sum | cut -c1-16)\"\n");
        long project;
        long template;
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            ProjectFixture p = ProjectFixture.create(server, "rekey-load");
            project = p.project();
            for (int i = 0; i < 200; i++) {
                p.create("/keys", Map.of("name", "k" + i, "type", "login_password",
                        "login_password", Map.of("login", "u", "password", "p" + i)));
            }
            long repository = p.create("/repositories", Map.of("name", "scripts", "git_url", repo.toString(),
                    "git_branch", "", "ssh_key_id", p.noneKey()));
            long environment = p.create("/environment", Map.of("name", "vars", "secrets",
                    List.of(Map.of("name", "TOKEN", "type", "env", "secret", "under-load-9"))));
            template = p.create("/templates", Map.of("name", "use", "app", "bash", "playbook", "use.sh",
                    "repository_id", repository, "environment_id", environment, "allow_parallel_tasks", true));
        }
        String newKey = Base64.getEncoder().encodeToString(dev.semaphore.common.Secrets.randomBytes(32));
        ObjectNode both = json.deepCopy().put("access_key_encryption", newKey).put("access_key_encryption_old", oldKey);
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(both))) {
            ProjectFixture p = new ProjectFixture(server.admin(), project);
            List<Long> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) { // running (and writing their logs) while the rekey starts
                tasks.add(p.run(template, Map.of()).get("id").asLong());
            }
            var rekey = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return server.services().vault().rekey(null);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (!rekey.isDone() || tasks.size() < 6) {
                tasks.add(p.run(template, Map.of()).get("id").asLong());
                Thread.sleep(20);
            }
            assertThat(rekey.get()).isEqualTo(201);
            String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest("under-load-9".getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
            for (long task : tasks) {
                p.await(task, 60_000, "success");
                assertThat(p.plainOutput(task)).contains("sha=" + expected);
            }
            Vault.Usage usage = server.services().vault().check();
            assertThat(usage.perKey()).containsOnlyKeys(server.services().vault().activeKeyId());
            assertThat(server.services().keys().secret(project, server.services().keys().list(project, null, null)
                    .stream().filter(k -> k.name().equals("k7")).findFirst().orElseThrow().id()))
                    .isEqualTo(new KeySecret.LoginPassword("u", "p7"));
        }
    }
}
