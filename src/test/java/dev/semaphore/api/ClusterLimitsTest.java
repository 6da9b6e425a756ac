package dev.semaphore.api;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code max_parallel_tasks} holds for the cluster, not per process: two processes claiming from one
 * queue never run more tasks at once than it allows.
 */
class ClusterLimitsTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void twoProcessesTogetherKeepTheParallelLimit(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("max_parallel_tasks", 3);
        var config = new ConfigLoader(Map.of()).fromJson(json);
        try (TestServer a = new TestServer(dialect, config); TestServer b = new TestServer(dialect, config)) {
            Client admin = a.admin();
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "limits");
            Files.writeString(repo.resolve("nap.sh"), "sleep 0.7\n");
            long project = admin.post("/api/projects", Map.of("name", TestServer.unique("Limits"))).json()
                    .get("id").asLong();
            String base = "/api/project/" + project;
            long key = admin.get(base + "/keys").json().get(0).get("id").asLong();
            long repository = admin.post(base + "/repositories", Map.of("name", "r", "git_url", repo.toString(),
                    "ssh_key_id", key)).json().get("id").asLong();
            long template = admin.post(base + "/templates", Map.of("name", "nap", "app", "bash", "playbook", "nap.sh",
                    "repository_id", repository, "allow_parallel_tasks", true)).json().get("id").asLong();
            for (int i = 0; i < 12; i++) {
                assertThat(admin.post(base + "/tasks", Map.of("template_id", template)).status()).isEqualTo(201);
            }
            int most = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                JsonNode tasks = admin.get(base + "/tasks").json();
                List<String> statuses = tasks.findValuesAsText("status");
                most = Math.max(most, (int) statuses.stream()
                        .filter(s -> Set.of("starting", "running", "stopping").contains(s)).count());
                if (statuses.stream().allMatch(s -> s.equals("success") || s.equals("error"))) {
                    break;
                }
                Thread.sleep(15);
            }
            assertThat(admin.get(base + "/tasks").json().findValuesAsText("status")).containsOnly("success");
            assertThat(most).as("tasks running at once across both processes").isBetween(2, 3);
        }
    }
}
