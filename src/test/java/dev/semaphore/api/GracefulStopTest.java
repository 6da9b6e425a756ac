package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ha.drain_timeout_sec}: a server stopped gracefully lets the task it runs finish, keeps serving
 * meanwhile, claims nothing more (a task queued during the drain waits for another process) and says in
 * the cluster view that it drains.
 */
class GracefulStopTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aStoppingServerFinishesItsTaskAndLeavesTheQueueToOthers(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("ha").put("drain_timeout_sec", 30);
        var config = new ConfigLoader(Map.of()).fromJson(json);
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "drain");
        Files.writeString(repo.resolve("slow.sh"), "echo begun\nsleep 2\necho finished\n");
        TestServer first = new TestServer(dialect, config);
        ProjectFixture p = ProjectFixture.create(first, "Drain");
        Client admin = p.admin();
        String base = p.path("");
        long template = p.bashTemplate(repo, "slow.sh", Map.of("allow_parallel_tasks", true));
        long running = p.run(template, Map.of()).get("id").asLong();
        awaitOutput(admin, base + "/tasks/" + running + "/output", "begun");

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(first::close);
        awaitDraining(admin);
        assertThat(stopped).as("the stop waits for the task").isNotDone();
        var ready = first.anonymous().get("/api/health/ready");
        assertThat(ready.status()).as("a draining process is not ready for a balancer").isEqualTo(503);
        assertThat(ready.json().get("checks").get("tasks").asText()).isEqualTo("draining");
        // Still served while draining, but the queue is left to other processes.
        long queued = admin.post(base + "/tasks", Map.of("template_id", template)).json().get("id").asLong();
        Thread.sleep(500); // a server that claims does so within milliseconds of the task's creation
        assertThat(admin.get(base + "/tasks/" + queued).json().get("status").asText())
                .as("a task queued during the drain is not claimed by the stopping server").isEqualTo("waiting");
        stopped.get();

        try (TestServer second = new TestServer(dialect, config)) {
            Client again = second.admin();
            assertThat(again.get(base + "/tasks/" + running).json().get("status").asText())
                    .as("the running task ended on its own").isEqualTo("success");
            assertThat(again.get(base + "/tasks/" + running + "/output").json().findValuesAsText("output"))
                    .contains("finished");
            long deadline = System.currentTimeMillis() + 30_000;
            String status = "";
            while (System.currentTimeMillis() < deadline && !status.equals("success")) {
                status = again.get(base + "/tasks/" + queued).json().get("status").asText();
                Thread.sleep(50);
            }
            assertThat(status).as("another process ran the queued task").isEqualTo("success");
        }
    }

    private static void awaitOutput(Client client, String path, String line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (client.get(path).json().findValuesAsText("output").contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line '" + line + "' in " + path);
    }

    private static void awaitDraining(Client admin) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonNode node : admin.get("/api/cluster").json().get("nodes")) {
                if (node.get("this").asBoolean() && node.get("draining").asBoolean()) {
                    assertThat(node.get("draining_since").isNull()).isFalse();
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the cluster view never showed the process draining");
    }
}
