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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database goes away from one server for longer than its node lease while a task runs (a TCP proxy
 * cut between them, so the database goes on serving every other test), and comes back: the task runs to
 * its end, ends with its real status, and every log line is there, in order. Before, the end of a task
 * whose script finished during the outage was never recorded: the task stayed running.
 *
 * <p>With two server processes cut off together for a minute (by default; {@code -Doutage.seconds=300} for five),
 * neither takes the other's tasks for orphans when the database returns, each task ends with its real status and
 * every line, the output printed during the outage beyond what memory holds waits in a file, and the API answers
 * again within 5 s.
 */
class DatabaseOutageTest {
    private static final int OUTAGE_SECONDS = Integer.getInteger("outage.seconds", 60);
    private static final int BURST = 15_000;

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void twoServersOutliveALongOutageTogetherAndEveryTaskEndsAsItRan(Dialect dialect) throws Exception {
        Path scripts = Files.createTempDirectory(TestDatabases.tempDir(), "outage");
        // 20 lines before the cut, then a line every OUTAGE/200 s with a burst after the 100th: it ends during the outage.
        double pace = OUTAGE_SECONDS * 0.8 / 280;
        Files.writeString(scripts.resolve("count.sh"), """
                for i in $(seq 1 20); do echo "line $i"; sleep 0.1; done
                for i in $(seq 21 300); do
                  echo "line $i"
                  if [ $i = 100 ]; then seq -f 'burst %%g' 1 %d; fi
                  sleep %s
                done
                """.formatted(BURST, String.format(java.util.Locale.ROOT, "%.3f", pace)));
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        String section = dialect == Dialect.POSTGRES ? "postgres" : "mysql";
        Path tmp = Path.of(json.get("tmp_path").asText());
        try (TcpProxy proxy = new TcpProxy(json.path(section).path("host").asText())) {
            ((ObjectNode) json.get(section)).put("host", proxy.address());
            json.putObject("ha").put("node_timeout_sec", 3);
            var config = new ConfigLoader(Map.of()).fromJson(json);
            try (TestServer a = new TestServer(dialect, config); TestServer b = new TestServer(dialect, config)) {
                ProjectFixture p = ProjectFixture.create(a, "outage");
                long template = p.bashTemplate(scripts, "count.sh", Map.of("allow_parallel_tasks", true));
                long first = p.run(template, Map.of()).get("id").asLong();
                long second = p.run(template, Map.of()).get("id").asLong();
                long deadline = System.currentTimeMillis() + 60_000;
                while (!(p.plainOutput(first).contains("line 20") && p.plainOutput(second).contains("line 20"))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                // Wherever they run, each server is cut off as long as the other: neither may take the other's
                // tasks for orphans when the database is back.
                List<Long> perServer = new ArrayList<>();
                a.admin().get("/api/cluster").json().get("nodes").forEach(n -> perServer.add(n.get("running_tasks").asLong()));
                assertThat(perServer.stream().mapToLong(Long::longValue).sum()).as("both tasks run").isEqualTo(2);
                System.out.println("tasks per server when the database went away: " + perServer);
                proxy.cut();
                long cutAt = System.currentTimeMillis();
                boolean spilled = false;
                while (System.currentTimeMillis() < cutAt + OUTAGE_SECONDS * 1000L) {
                    spilled |= spillFiles(tmp) > 0;
                    Thread.sleep(200);
                }
                assertThat(spilled).as("output beyond what memory holds waited in a file").isTrue();
                proxy.restore();
                long back = System.currentTimeMillis();
                while (a.admin().get("/api/projects").status() != 200 && System.currentTimeMillis() < back + 30_000) {
                    Thread.sleep(50);
                }
                long answeredAfter = System.currentTimeMillis() - back;
                assertThat(answeredAfter).as("the API answers within 5 s of the database's return").isLessThan(5_000);
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= 300; i++) {
                    expected.add("line " + i);
                    if (i == 100) {
                        for (int n = 1; n <= BURST; n++) {
                            expected.add("burst " + n);
                        }
                    }
                }
                for (long task : List.of(first, second)) {
                    JsonNode done = p.await(task, 120_000, "success", "error", "stopped");
                    List<String> lines = p.output(task);
                    assertThat(done.get("status").asText()).as(String.join("\n", lines.subList(
                            Math.max(0, lines.size() - 20), lines.size()))).isEqualTo("success");
                    assertThat(lines.stream().filter(l -> l.startsWith("line ") || l.startsWith("burst ")).toList())
                            .isEqualTo(expected);
                }
                assertThat(spillFiles(tmp)).as("the files go once their lines are stored").isZero();
            }
        }
    }

    /**
     * A task on a remote runner while its server's database is away: the runner's reports are refused meanwhile
     * and kept, in order, until the server can take them; the task ends with its real status and every line.
     */
    @Test
    void aRunnersTaskOutlivesALongOutageOfItsServersDatabase() throws Exception {
        Path scripts = Files.createTempDirectory(TestDatabases.tempDir(), "outage-runner");
        double pace = OUTAGE_SECONDS * 0.8 / 280;
        Files.writeString(scripts.resolve("count.sh"), """
                for i in $(seq 1 20); do echo "line $i"; sleep 0.1; done
                for i in $(seq 21 300); do echo "line $i"; sleep %s; done
                """.formatted(String.format(java.util.Locale.ROOT, "%.3f", pace)));
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.POSTGRES);
        try (TcpProxy proxy = new TcpProxy(json.path("postgres").path("host").asText())) {
            ((ObjectNode) json.get("postgres")).put("host", proxy.address());
            json.putObject("ha").put("node_timeout_sec", 3);
            json.put("runner_registration_token", "outage-registration");
            try (TestServer server = new TestServer(Dialect.POSTGRES, new ConfigLoader(Map.of()).fromJson(json))) {
                Path runnerTmp = Files.createTempDirectory(TestDatabases.tempDir(), "outage-runner-tmp");
                ObjectNode runnerJson = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                runnerJson.put("web_host", server.baseUrl()).put("tmp_path", runnerTmp.toString());
                runnerJson.putObject("runner").put("registration_token", "outage-registration").put("name", "far")
                        .put("tags", "far").put("token_file", runnerTmp.resolve("token").toString());
                var runnerConfig = new ConfigLoader(Map.of()).fromJson(runnerJson);
                dev.semaphore.runner.agent.RunnerSetup.register(runnerConfig);
                var agent = dev.semaphore.runner.agent.RunnerSetup.agent(runnerConfig);
                Thread runner = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        agent.run();
                    } catch (InterruptedException ended) {
                        Thread.currentThread().interrupt();
                    }
                });
                try {
                    ProjectFixture p = ProjectFixture.create(server, "outage-runner");
                    long task = p.run(p.bashTemplate(scripts, "count.sh", Map.of("runner_tag", "far")), Map.of())
                            .get("id").asLong();
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (!p.plainOutput(task).contains("line 20") && System.currentTimeMillis() < deadline) {
                        Thread.sleep(50);
                    }
                    assertThat(p.admin().get(p.path("/tasks/" + task)).json().get("runner_id").isNumber()).isTrue();
                    proxy.cut();
                    Thread.sleep(OUTAGE_SECONDS * 1000L);
                    proxy.restore();
                    JsonNode done = p.await(task, 120_000, "success", "error", "stopped");
                    List<String> lines = p.output(task);
                    List<String> expected = new ArrayList<>();
                    for (int i = 1; i <= 300; i++) {
                        expected.add("line " + i);
                    }
                    assertThat(done.get("status").asText()).as(String.join("\n", lines)).isEqualTo("success");
                    assertThat(lines.stream().filter(l -> l.startsWith("line ")).toList()).isEqualTo(expected);
                } finally {
                    agent.close();
                    runner.join(30_000);
                }
            }
        }
    }

    private static long spillFiles(Path tmp) throws java.io.IOException {
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (var files = Files.walk(tmp)) {
            return files.filter(f -> f.getFileName().toString().equals("output.spill")).count();
        }
    }

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
