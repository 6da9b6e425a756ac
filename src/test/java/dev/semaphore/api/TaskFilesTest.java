package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code log.tasks}: every task's output lines reach one file, secrets masked as stored, and each
 * finished task's result another, as JSON or text.
 */
class TaskFilesTest {
    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void outputLinesAndResultsReachTheirFiles(String format) throws Exception {
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "task-files");
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        ObjectNode tasks = json.putObject("log").putObject("tasks");
        tasks.put("enabled", true).put("format", format);
        tasks.putObject("logger").put("filename", dir.resolve("tasks.log").toString());
        tasks.putObject("result_logger").put("filename", dir.resolve("results.log").toString());
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "task-files-repo");
            Files.writeString(repo.resolve("say.sh"), "echo \"the token is $API_TOKEN\"\necho second line\nexit 3\n");
            ProjectFixture p = ProjectFixture.create(server, "TaskFiles");
            long environment = p.create("/environment", Map.of("name", "secrets", "json", "{}", "env", "{}",
                    "secrets", List.of(Map.of("name", "API_TOKEN", "type", "env", "secret", "tok-task-files-91"))));
            long template = p.bashTemplate(repo, "say.sh", Map.of("environment_id", environment));
            long task = p.run(template, Map.of("message", "to the files")).get("id").asLong();
            p.await(task, "error");
            Path results = dir.resolve("results.log");
            for (int i = 0; i < 100 && !Files.exists(results); i++) {
                Thread.sleep(50);
            }

            String output = Files.readString(dir.resolve("tasks.log"));
            String result = Files.readString(results);
            assertThat(output + result).doesNotContain("tok-task-files-91");
            if (format.equals("json")) {
                List<JsonNode> lines = output.lines().map(Json::tree).toList();
                assertThat(lines).allSatisfy(l -> assertThat(l.get("task_id").asLong()).isEqualTo(task));
                assertThat(lines.stream().map(l -> l.get("output").asText()).toList())
                        .contains("the token is ***", "second line");
                assertThat(lines.getFirst().get("project_id").asLong()).isEqualTo(p.project());
                JsonNode record = Json.tree(result.strip());
                assertThat(record.get("task_id").asLong()).isEqualTo(task);
                assertThat(record.get("status").asText()).isEqualTo("error");
                assertThat(record.get("template").asText()).isEqualTo("say.sh");
                assertThat(record.get("message").asText()).isEqualTo("to the files");
                assertThat(record.get("user").asText()).isNotEmpty();
                assertThat(record.get("duration_sec").isNumber()).isTrue();
            } else {
                assertThat(output).contains("[project " + p.project() + " task " + task + "] the token is ***",
                        "[project " + p.project() + " task " + task + "] second line");
                assertThat(result).contains("[project " + p.project() + " task " + task + "] say.sh: error after ");
            }
        }
    }
}
