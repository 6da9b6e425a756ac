package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TcpProxy;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database goes away from one server for longer than its node lease while a task runs (a TCP proxy
 * cut between them, so the database goes on serving every other test), and comes back: the task runs to
 * its end, ends with its real status, and every log line is there, in order. Before, the end of a task
 * whose script finished during the outage was never recorded: the task stayed running.
 */
class DatabaseOutageTest {
    @Test
    void aTaskOutlivesADatabaseOutageLongerThanTheLeaseWithEveryLine() throws Exception {
        Path scripts = Files.createTempDirectory(TestDatabases.tempDir(), "outage");
        Files.writeString(scripts.resolve("count.sh"), "for i in $(seq 1 100); do echo \"line $i\"; sleep 0.1; done\n");
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.POSTGRES);
        try (TcpProxy proxy = new TcpProxy(json.path("postgres").path("host").asText())) {
            ((ObjectNode) json.get("postgres")).put("host", proxy.address());
            json.putObject("ha").put("node_timeout_sec", 3);
            try (TestServer server = new TestServer(Dialect.POSTGRES, new ConfigLoader(Map.of()).fromJson(json))) {
                ProjectFixture p = ProjectFixture.create(server, "outage");
                long task = p.run(p.bashTemplate(scripts, "count.sh", Map.of()), Map.of()).get("id").asLong();
                long deadline = System.currentTimeMillis() + 30_000;
                while (!p.plainOutput(task).contains("line 20") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                proxy.cut();
                // Longer than the node lease (3 s) and than the pool waits for a connection (10 s): the task's
                // script ends while the database is away.
                Thread.sleep(20_000);
                proxy.restore();
                JsonNode done = p.await(task, 60_000, "success", "error", "stopped");
                List<String> lines = p.output(task);
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= 100; i++) {
                    expected.add("line " + i);
                }
                assertThat(done.get("status").asText()).as(String.join("\n", lines)).isEqualTo("success");
                assertThat(lines.stream().filter(l -> l.startsWith("line ")).toList()).isEqualTo(expected);
            }
        }
    }
}
