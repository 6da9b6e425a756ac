package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code apps} setting: /api/apps, a custom app's templates and how its script is started. */
class AppsTest {
    @Test
    void aCustomAppIsListedAcceptedByTemplatesAndRunWithItsProgramAndArguments() throws Exception {
        ObjectNode config = TestDatabases.freshConfigJson(Dialect.SQLITE);
        ObjectNode apps = config.putObject("apps");
        apps.putObject("shell").put("title", "POSIX shell").put("path", "/bin/sh").put("priority", 650)
                .putArray("args").add("-e");
        apps.putObject("bash").put("title", "Bourne Again");
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(config))) {
            ProjectFixture p = ProjectFixture.create(server, "apps");
            Response listed = p.admin().get("/api/apps");
            assertThat(listed.status()).isEqualTo(200);
            JsonNode shell = null;
            for (JsonNode app : listed.json()) {
                if (app.get("id").asText().equals("shell")) {
                    shell = app;
                }
                if (app.get("id").asText().equals("bash")) {
                    assertThat(app.get("title").asText()).isEqualTo("Bourne Again");
                    assertThat(app.get("active").asBoolean()).isTrue();
                }
            }
            assertThat(shell).isNotNull();
            assertThat(shell.get("active").asBoolean()).isTrue();
            assertThat(shell.get("path").asText()).isEqualTo("/bin/sh");
            assertThat(listed.json().findValuesAsText("id")).startsWith("ansible").contains("terraform", "python");

            Path scripts = Files.createTempDirectory(TestDatabases.tempDir(), "apps");
            Files.writeString(scripts.resolve("run.sh"), "echo \"shell=$0 args=$*\"\nfalse\necho not reached\n");
            long repository = p.create("/repositories", Map.of("name", "r", "git_url", scripts.toString(),
                    "git_branch", "", "ssh_key_id", p.noneKey()));
            long environment = p.create("/environment", Map.of("name", "v", "json", "{\"stage\": \"blue\"}",
                    "env", "{}"));
            long template = p.create("/templates", Map.of("name", "custom", "app", "shell", "playbook", "run.sh",
                    "repository_id", repository, "environment_id", environment, "arguments", "[\"one\"]"));
            long id = p.run(template, Map.of()).get("id").asLong();
            JsonNode done = p.await(id, "success", "error");
            // -e (the app's argument) makes the script stop at `false`.
            assertThat(done.get("status").asText()).isEqualTo("error");
            assertThat(p.output(id)).contains("shell=run.sh args=one stage=blue").doesNotContain("not reached");

            Response unknown = p.admin().post(p.path("/templates"), Map.of("name", "x", "app", "nope",
                    "playbook", "run.sh", "repository_id", repository));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().get("error").asText()).contains("'app'").contains("shell");
            assertThat(p.admin().get(p.path("/templates?app=shell")).json()).hasSize(1);
        }
    }

    @Test
    void aMalformedAppsSettingStopsTheServerNamingTheKey() {
        ObjectNode config = TestDatabases.freshConfigJson(Dialect.SQLITE);
        config.putObject("apps").putObject("Bad Id").put("path", "/bin/sh");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TestServer(Dialect.SQLITE,
                        new ConfigLoader(Map.of()).fromJson(config)).close())
                .hasMessageContaining("apps").hasMessageContaining("Bad Id");
    }
}
