package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.secret.KeySecret;
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
}
