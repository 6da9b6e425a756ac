package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.config.Config;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.MutableClock;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one PostgreSQL database, both asked at the same moment to run the same
 * due schedules (and both also running their own scheduler loops): every due time gives exactly one
 * task.
 */
class SchedulesTwoServersTest {
    private static final int SCHEDULES = 40;

    @Test
    void eachDueTimeQueuesExactlyOneTaskWhateverTheNumberOfServers() throws Exception {
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "twice");
        Files.writeString(repo.resolve("hello.sh"), "echo once\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "one");

        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T09:00:00Z"));
        Config config = TestDatabases.freshConfig(Dialect.POSTGRES);
        try (TestServer first = new TestServer(Dialect.POSTGRES, config, clock);
             TestServer second = new TestServer(Dialect.POSTGRES, config, clock)) {
            ProjectFixture fixture = ProjectFixture.create(first, "twice");
            long repository = fixture.create("/repositories", Map.of("name", "r", "git_url", repo.toString(),
                    "git_branch", "main", "ssh_key_id", fixture.noneKey()));
            long template = fixture.create("/templates", Map.of("name", "t", "app", "bash", "playbook", "hello.sh",
                    "repository_id", repository, "allow_parallel_tasks", true));
            for (int i = 0; i < SCHEDULES; i++) {
                fixture.create("/schedules", Map.of("template_id", template, "name", "s" + i,
                        "cron_format", "*/15 * * * *"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (String due : List.of("2026-04-01T09:15:00Z", "2026-04-01T09:30:00Z")) {
                    clock.set(Instant.parse(due));
                    Callable<Integer> one = () -> first.services().scheduler().runDue();
                    Callable<Integer> two = () -> second.services().scheduler().runDue();
                    List<Future<Integer>> runs = pool.invokeAll(List.of(one, two, one, two));
                    for (Future<Integer> run : runs) {
                        run.get();
                    }
                }
            } finally {
                pool.shutdown();
            }
            Thread.sleep(1500); // the servers' own loops have looked too
            Map<Long, Integer> perSchedule = new HashMap<>();
            for (JsonNode task : fixture.admin().get(fixture.path("/tasks")).json()) {
                perSchedule.merge(task.get("schedule_id").asLong(), 1, Integer::sum);
            }
            assertThat(perSchedule).hasSize(SCHEDULES);
            assertThat(perSchedule.values()).as("tasks per schedule for two due times").containsOnly(2);
        }
    }
}
