package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Times;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
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
            assertThat(p.admin().get(p.path("/tasks/" + tasks.get(0))).status()).isEqualTo(400);
            assertThat(p.admin().get(p.path("/tasks/" + tasks.get(1) + "/output")).status()).isEqualTo(400);
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

    @org.junit.jupiter.api.Test
    void aProjectsOwnRetentionOverTheServers() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("task_retention_days", 30);
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "retention");
            Files.writeString(repo.resolve("hello.sh"), "echo hello\n");
            ProjectFixture shorter = ProjectFixture.create(server, "Shorter");
            ProjectFixture server30 = ProjectFixture.create(server, "ServerDefault");
            ProjectFixture longer = ProjectFixture.create(server, "Longer");
            setRetention(shorter, 5);
            setRetention(longer, 60);
            // A client written for upstream saves the project without the field: the setting stays.
            assertThat(shorter.admin().put(shorter.path(""), Map.of("id", shorter.project(), "name", "Shorter2",
                    "alert", false, "max_parallel_tasks", 0)).status()).isEqualTo(204);
            JsonNode saved = shorter.admin().get(shorter.path("")).json();
            assertThat(saved.get("task_retention_days").asInt()).isEqualTo(5);
            assertThat(saved.get("name").asText()).isEqualTo("Shorter2");
            Response negative = shorter.admin().put(shorter.path(""), Map.of("id", shorter.project(), "name", "Shorter",
                    "task_retention_days", -1));
            assertThat(negative.status()).isEqualTo(400);
            assertThat(negative.json().get("error").asText()).contains("task_retention_days");

            Map<String, Long> tasks = new java.util.LinkedHashMap<>();
            for (ProjectFixture p : List.of(shorter, server30, longer)) {
                long template = p.bashTemplate(repo, "hello.sh", Map.of("allow_parallel_tasks", true));
                for (int age : List.of(10, 40)) {
                    long task = p.run(template, Map.of()).get("id").asLong();
                    p.await(task, "success");
                    server.services().db().txRun(h -> h.createUpdate("UPDATE tasks SET end_time = :t WHERE id = :id")
                            .bind("t", Times.now().minus(Duration.ofDays(age))).bind("id", task).execute());
                    tasks.put(p.project() + "/" + age, task);
                }
            }

            assertThat(server.services().retention().sweep()).isEqualTo(3);
            Map<String, Integer> left = new java.util.TreeMap<>();
            for (ProjectFixture p : List.of(shorter, server30, longer)) {
                for (int age : List.of(10, 40)) {
                    left.put((p == shorter ? "own 5" : p == longer ? "own 60" : "server's 30") + ", ended " + age
                            + " days ago", p.admin().get(p.path("/tasks/" + tasks.get(p.project() + "/" + age))).status());
                }
            }
            assertThat(left).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "own 5, ended 10 days ago", 400, "own 5, ended 40 days ago", 400,
                    "server's 30, ended 10 days ago", 200, "server's 30, ended 40 days ago", 400,
                    "own 60, ended 10 days ago", 200, "own 60, ended 40 days ago", 200));
            assertThat(shorter.admin().get(shorter.path("/events")).body())
                    .contains("Deleted 2 finished task(s) older than 5 days (the project's task_retention_days)");
        }
    }

    @org.junit.jupiter.api.Test
    void aProjectsOwnMaxTasksPerTemplate() throws Exception {
        TestServer server = dev.semaphore.testing.TestServers.of(Dialect.SQLITE);
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "keep");
        Files.writeString(repo.resolve("hello.sh"), "echo hello\n");
        ProjectFixture p = ProjectFixture.create(server, "KeepTwo");
        assertThat(p.admin().put(p.path(""), Map.of("id", p.project(), "name", "KeepTwo",
                "max_tasks_per_template", 2)).status()).isEqualTo(204);
        long template = p.bashTemplate(repo, "hello.sh", Map.of());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long task = p.run(template, Map.of()).get("id").asLong();
            p.await(task, "success");
            ids.add(task);
        }
        List<Long> kept = new ArrayList<>();
        p.admin().get(p.path("/templates/" + template + "/tasks")).json().forEach(t -> kept.add(t.get("id").asLong()));
        assertThat(kept).containsExactlyInAnyOrder(ids.get(2), ids.get(3));
        ProjectFixture other = ProjectFixture.create(server, "KeepAll");
        long otherTemplate = other.bashTemplate(repo, "hello.sh", Map.of());
        for (int i = 0; i < 3; i++) {
            other.await(other.run(otherTemplate, Map.of()).get("id").asLong(), "success");
        }
        assertThat(other.admin().get(other.path("/templates/" + otherTemplate + "/tasks")).json().size())
                .as("another project keeps the server's setting (none)").isEqualTo(3);
    }

    private static void setRetention(ProjectFixture p, int days) {
        JsonNode project = p.admin().get(p.path("")).json();
        Response saved = p.admin().put(p.path(""), Map.of("id", p.project(), "name", project.get("name").asText(),
                "task_retention_days", days));
        assertThat(saved.status()).as(saved.toString()).isEqualTo(204);
        assertThat(p.admin().get(p.path("")).json().get("task_retention_days").asInt()).isEqualTo(days);
    }
}
