package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Times;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A task claimed by a server process that died before beginning it goes back to the queue (nothing of it
 * ran) and another process runs it; one it had begun ends as failed, naming the process (ClusterIT).
 */
class DeadNodeClaimTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aClaimOfADeadProcessIsQueuedAgain(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("ha").put("node_timeout_sec", 3);
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "claim");
            Files.writeString(repo.resolve("once.sh"), "sleep 1\necho ran\n");
            ProjectFixture p = ProjectFixture.create(server, "Claim");
            long template = p.bashTemplate(repo, "once.sh", Map.of());
            long first = p.run(template, Map.of()).get("id").asLong();
            // One run of a template at a time: the second waits, and is then made the claim of a process
            // on another machine that has been silent for an hour.
            long second = p.run(template, Map.of()).get("id").asLong();
            server.services().db().txRun(h -> {
                h.createUpdate("INSERT INTO server_processes (id, host, pid, started, heartbeat)"
                                + " VALUES ('gone-process', 'elsewhere 4026531836', 4242, :t, :t)")
                        .bind("t", Times.now().minusSeconds(3600)).execute();
                assertThat(h.createUpdate("UPDATE tasks SET status = 'starting', owner = 'gone-process'"
                        + " WHERE id = :id AND status = 'waiting'").bind("id", second).execute()).isEqualTo(1);
            });

            assertThat(p.await(second, "success", "error").get("status").asText())
                    .as("the dead process's claim ran here").isEqualTo("success");
            assertThat(p.output(second)).contains("The server process on elsewhere (pid 4242) stopped before it"
                    + " began this task; the task is queued again.", "ran");
            assertThat(p.await(first, "success", "error").get("status").asText()).isEqualTo("success");
        }
    }
}
