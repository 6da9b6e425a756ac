package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** max_task_duration_sec, max_tasks_per_template and the admin's view of the queue, on a server configured for them. */
class TaskLimitsTest {
    private static JsonNode await(Client admin, long project, long task, String... statuses) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode current = null;
        while (System.currentTimeMillis() < deadline) {
            current = admin.get("/api/project/" + project + "/tasks/" + task).json();
            if (List.of(statuses).contains(current.get("status").asText())) {
                return current;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("task " + task + " stuck: " + current);
    }

    @Test
    void longTasksAreEndedOldTasksTrimmedAndAdminsSeeTheQueue() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("max_task_duration_sec", 2);
        json.put("max_tasks_per_template", 2);
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = server.admin();
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "limits");
            Files.writeString(repo.resolve("long.sh"), "echo started\nsleep 60 & wait\n");
            Files.writeString(repo.resolve("quick.sh"), "echo done\n");
            long project = createProject(admin, "limits");
            long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
            long repository = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                    "git_url", repo.toString(), "ssh_key_id", key)).json().get("id").asLong();
            long slow = admin.post("/api/project/" + project + "/templates", Map.of("name", "slow", "app", "bash",
                    "playbook", "long.sh", "repository_id", repository)).json().get("id").asLong();
            long quick = admin.post("/api/project/" + project + "/templates", Map.of("name", "quick", "app", "bash",
                    "playbook", "quick.sh", "repository_id", repository)).json().get("id").asLong();

            long task = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", slow)).json()
                    .get("id").asLong();
            await(admin, project, task, "running");
            JsonNode queue = admin.get("/api/tasks").json();
            assertThat(queue.findValuesAsText("task_id")).contains(Long.toString(task));
            assertThat(server.newUser("plain").get("/api/tasks").status()).isEqualTo(403);
            JsonNode ended = await(admin, project, task, "error", "success", "stopped");
            assertThat(ended.get("status").asText()).isEqualTo("error");
            List<String> lines = new ArrayList<>();
            admin.get("/api/project/" + project + "/tasks/" + task + "/output").json()
                    .forEach(l -> lines.add(l.get("output").asText()));
            assertThat(lines).anyMatch(l -> l.contains("max_task_duration_sec (2 s)"));

            List<Long> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long id = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", quick)).json()
                        .get("id").asLong();
                await(admin, project, id, "success", "error");
                runs.add(id);
            }
            List<Long> kept = new ArrayList<>();
            admin.get("/api/project/" + project + "/templates/" + quick + "/tasks").json()
                    .forEach(t -> kept.add(t.get("id").asLong()));
            assertThat(kept).containsExactly(runs.get(3), runs.get(2));
            assertThat(admin.get("/api/project/" + project + "/tasks/" + runs.get(0)).status()).isEqualTo(400);
            assertThat(admin.get("/api/project/" + project + "/tasks/" + task).status()).isEqualTo(200);
        }
    }
}
