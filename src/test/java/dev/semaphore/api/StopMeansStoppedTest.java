package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stopping and ending tasks with real scripts that fight back: TERM handlers that write markers,
 * children that ignore TERM, a child that calls {@code setsid} (outside the task's process group), a
 * child that keeps the output pipe open. Whether anything of a task is left is read from {@code /proc}:
 * every process of a task carries the variable group's {@code STOP_MARKER}. The grace period is 2 s here.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class StopMeansStoppedTest {
    private static final int GRACE = 2;
    private static Path scripts;

    @Parameter
    Dialect dialect;

    private TestServer server;
    private ProjectFixture fixture;
    private String marker;
    private long environment;

    @BeforeAll
    static void scripts() throws Exception {
        scripts = Files.createTempDirectory(TestDatabases.tempDir(), "stop");
        Files.writeString(scripts.resolve("resist.sh"), dev.semaphore.testing.StubbornScripts.RESIST);
        Files.writeString(scripts.resolve("done.sh"), """
                ( trap '' TERM HUP; sleep 40 ) &
                echo "main done"
                """);
        Files.writeString(scripts.resolve("background.sh"), """
                sleep 60 &
                echo "left a sleep behind"
                """);
    }

    @BeforeEach
    void server() {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("task_stop_grace_sec", GRACE);
        server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
        fixture = ProjectFixture.create(server, "stop");
        marker = TestServer.unique("marker");
        environment = fixture.create("/environment", Map.of("name", "marked", "json", "{}",
                "env", "{\"STOP_MARKER\": \"" + marker + "\"}"));
    }

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        leftovers(marker).forEach(ProcessHandle::destroyForcibly);
    }

    private long template(String script) {
        return fixture.bashTemplate(scripts, script, Map.of("environment_id", environment));
    }

    /** The processes still carrying the marker in their environment. */
    private static List<ProcessHandle> leftovers(String marker) {
        return dev.semaphore.testing.StubbornScripts.marked(marker);
    }

    private void awaitLine(long task, String line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!fixture.plainOutput(task).contains(line)) {
            assertThat(System.currentTimeMillis()).as(fixture.plainOutput(task)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private String status(long task) {
        return fixture.admin().get(fixture.path("/tasks/" + task)).json().get("status").asText();
    }

    @Test
    void aGracefulStopSignalsEveryProcessAndSaysStoppedOnlyWhenNoneIsLeft() throws Exception {
        long task = fixture.run(template("resist.sh"), Map.of()).get("id").asLong();
        awaitLine(task, "started");
        assertThat(leftovers(marker)).as("the script, its child, the setsid one").hasSizeGreaterThanOrEqualTo(3);
        long asked = System.nanoTime();
        assertThat(fixture.admin().post(fixture.path("/tasks/" + task + "/stop"), Map.of("force", false)).status())
                .isEqualTo(204);
        assertThat(status(task)).isEqualTo("stopping");
        while (status(task).equals("stopping")) {
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(GRACE + 15));
            Thread.sleep(20);
        }
        assertThat(status(task)).isEqualTo("stopped");
        assertThat(leftovers(marker)).as("when it says stopped, nothing of it runs").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("the handlers kept them for the grace period")
                .isGreaterThan(Duration.ofMillis(GRACE * 1000L - 300));
        assertThat(fixture.plainOutput(task)).contains("main-term-ignored").contains("child-term-ignored")
                .doesNotContain("Stream closed");
    }

    @Test
    void aForcedStopKillsEverythingAtOnce() throws Exception {
        long task = fixture.run(template("resist.sh"), Map.of()).get("id").asLong();
        awaitLine(task, "started");
        long asked = System.nanoTime();
        assertThat(fixture.admin().post(fixture.path("/tasks/" + task + "/stop"), Map.of("force", true)).status())
                .isEqualTo(204);
        while (!leftovers(marker).isEmpty()) {
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(GRACE));
            Thread.sleep(20);
        }
        fixture.await(task, 10_000, "stopped");
    }

    @Test
    void aTaskEndsWhenItsMainProcessEndsAndWhatItLeftIsEnded() throws Exception {
        long task = fixture.run(template("done.sh"), Map.of()).get("id").asLong();
        JsonNode done = fixture.await(task, 20_000, "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("success");
        Duration took = Duration.between(Instant.parse(done.get("start").asText()), Instant.parse(done.get("end").asText()));
        assertThat(took).as("not the 40 s of the child holding the output").isLessThan(Duration.ofSeconds(5));
        assertThat(fixture.plainOutput(task)).contains("main done");
        long deadline = System.currentTimeMillis() + (GRACE + 6) * 1000L;
        while (!leftovers(marker).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(leftovers(marker)).as("the child that ignores TERM, after the grace period").isEmpty();
    }

    @Test
    void aBackgroundSleepNeverHoldsTheTask() throws Exception {
        long template = template("background.sh");
        Duration longest = Duration.ZERO;
        int runs = dialect == Dialect.SQLITE ? 20 : 5;
        for (int i = 0; i < runs; i++) {
            long task = fixture.run(template, Map.of()).get("id").asLong();
            JsonNode done = fixture.await(task, 30_000, "success", "error");
            assertThat(done.get("status").asText()).isEqualTo("success");
            Duration took = Duration.between(Instant.parse(done.get("start").asText()),
                    Instant.parse(done.get("end").asText()));
            longest = took.compareTo(longest) > 0 ? took : longest;
        }
        System.out.println(dialect + ": a script leaving `sleep 60 &` ended in at most " + longest.toMillis()
                + " ms over " + runs + " runs");
        assertThat(longest).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatStopsStopsItsTasksProcesses() throws Exception {
        long task = fixture.run(template("resist.sh"), Map.of()).get("id").asLong();
        awaitLine(task, "started");
        server.close();
        server = null;
        long deadline = System.currentTimeMillis() + 3_000;
        while (!leftovers(marker).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(leftovers(marker)).as("after the server closed").isEmpty();
    }
}
