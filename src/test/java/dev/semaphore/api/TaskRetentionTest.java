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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code task_retention_days}: finished tasks that ended longer ago are deleted with their output, in
 * batches, and each project's activity log says so; recent ones stay.
 */
class TaskRetentionTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void finishedTasksPastTheRetentionAreDeletedWithTheirOutput(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("task_retention_days", 30);
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "retention");
            Files.writeString(repo.resolve("hello.sh"), "echo hello\n");
            ProjectFixture p = ProjectFixture.create(server, "Retention");
            long template = p.bashTemplate(repo, "hello.sh", Map.of("allow_parallel_tasks", true));
            List<Long> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long task = p.run(template, Map.of()).get("id").asLong();
                p.await(task, "success");
                tasks.add(task);
            }
            // Two of them ended 40 days ago (as if the clock had moved on).
            server.services().db().txRun(h -> h.createUpdate("UPDATE tasks SET end_time = :t WHERE id IN (:a, :b)")
                    .bind("t", Times.now().minus(Duration.ofDays(40))).bind("a", tasks.get(0)).bind("b", tasks.get(1))
                    .execute());

            assertThat(server.services().retention().sweep()).isEqualTo(2);
            assertThat(p.admin().get(p.path("/tasks/" + tasks.get(0))).status()).isEqualTo(404);
            assertThat(p.admin().get(p.path("/tasks/" + tasks.get(1) + "/output")).status()).isEqualTo(404);
            assertThat(p.admin().get(p.path("/tasks/" + tasks.get(2))).status()).isEqualTo(200);
            assertThat(p.output(tasks.get(2))).contains("hello");
            long outputRows = server.services().db().read(h -> h.createQuery(
                    "SELECT COUNT(*) FROM task_output WHERE task_id IN (:a, :b)").bind("a", tasks.get(0))
                    .bind("b", tasks.get(1)).mapTo(Long.class).one());
            assertThat(outputRows).as("their output went with them").isZero();
            assertThat(p.admin().get(p.path("/events")).body())
                    .contains("Deleted 2 finished task(s) older than 30 days (task_retention_days)");
            assertThat(server.services().retention().sweep()).as("nothing more to delete").isZero();
        }
    }
}
