package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Contract;
import dev.semaphore.testing.MutableClock;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schedules through the API, fired by a server whose clock the test moves (no test waits for a real
 * minute), with real bash tasks from a real git repository; one test uses the real clock.
 */
@ParameterizedClass
@EnumSource(Dialect.class)
class SchedulesApiTest {
    private static final Map<Dialect, TestServer> SERVERS = new EnumMap<>(Dialect.class);
    private static final Map<Dialect, MutableClock> CLOCKS = new EnumMap<>(Dialect.class);
    private static Path repo;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void makeRepository() throws Exception {
        repo = Files.createTempDirectory(TestDatabases.tempDir(), "scheduled");
        Files.writeString(repo.resolve("hello.sh"), "echo \"scheduled run of $SEMAPHORE_TASK_TEMPLATE_ID: $*\"\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "first");
    }

    /** A server of its own per dialect: its schedules read a clock this test moves. */
    private TestServer server() {
        synchronized (SERVERS) {
            return SERVERS.computeIfAbsent(dialect, d -> {
                MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
                CLOCKS.put(d, clock);
                return new TestServer(d, TestDatabases.freshConfig(d), clock);
            });
        }
    }

    private MutableClock clock() {
        server();
        return CLOCKS.get(dialect);
    }

    private record Setup(ProjectFixture fixture, long repository, long template) {
        String path(String rest) {
            return fixture.path(rest);
        }

        /** The tasks the schedule queued, oldest first. */
        List<JsonNode> tasksOf(long schedule) {
            List<JsonNode> tasks = new ArrayList<>();
            fixture.admin().get(path("/tasks")).json().forEach(t -> {
                if (t.path("schedule_id").asLong() == schedule) {
                    tasks.add(0, t);
                }
            });
            return tasks;
        }

        long schedule(Map<String, ?> fields) {
            Map<String, Object> body = new HashMap<>(Map.of("template_id", template, "name", TestServer.unique("s")));
            body.putAll(fields);
            Response created = fixture.admin().post(path("/schedules"), body);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(Contract.operationOf(created)).isEqualTo("POST /project/{id}/schedules");
            return created.json().get("id").asLong();
        }

        JsonNode get(long schedule) {
            return fixture.admin().get(path("/schedules/" + schedule)).json();
        }
    }

    private Setup setup() {
        ProjectFixture fixture = ProjectFixture.create(server(), "sched");
        long repository = fixture.create("/repositories", Map.of("name", "scripts", "git_url", repo.toString(),
                "git_branch", "main", "ssh_key_id", fixture.noneKey()));
        long template = fixture.create("/templates", Map.of("name", "hello", "app", "bash", "playbook", "hello.sh",
                "repository_id", repository, "allow_override_args_in_task", true, "allow_parallel_tasks", true));
        return new Setup(fixture, repository, template);
    }

    private static Instant time(JsonNode schedule, String field) {
        return Instant.parse(schedule.get(field).asText());
    }

    /**
     * The schedule queued exactly {@code count} tasks. The server's own scheduler loop may be handling
     * the same due time when the test's call returns, so the count is awaited, then checked to stay.
     */
    private static List<JsonNode> expectTasks(Setup s, long schedule, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (s.tasksOf(schedule).size() < count && System.nanoTime() < deadline) {
            sleep(50);
        }
        sleep(300);
        List<JsonNode> tasks = s.tasksOf(schedule);
        assertThat(tasks).as("tasks of schedule " + schedule).hasSize(count);
        return tasks;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves the clock to {@code at} and has the scheduler look (the server's own loop may look too). */
    private void at(String at) {
        clock().set(Instant.parse(at));
        server().services().scheduler().runDue();
    }

    @Test
    void aCronScheduleQueuesOneTaskPerDueTimeCarryingItsScheduleAndParams() throws Exception {
        at("2026-03-01T10:00:00Z");
        Setup s = setup();
        long schedule = s.schedule(Map.of("cron_format", "*/5 * * * *",
                "task_params", Map.of("arguments", "[\"from-schedule\"]", "message", "nightly")));
        JsonNode created = s.get(schedule);
        assertThat(time(created, "next_run")).isEqualTo("2026-03-01T10:05:00Z");
        assertThat(created.get("task_params").get("message").asText()).isEqualTo("nightly");
        assertThat(created.get("cron_description").asText()).isNotBlank();

        at("2026-03-01T10:04:59Z");
        expectTasks(s, schedule, 0);
        at("2026-03-01T10:05:00Z");
        server().services().scheduler().runDue(); // the same due time, asked again: nothing more
        List<JsonNode> tasks = expectTasks(s, schedule, 1);
        JsonNode task = s.fixture().await(tasks.get(0).get("id").asLong(), "success", "error");
        assertThat(task.get("status").asText()).isEqualTo("success");
        assertThat(task.get("message").asText()).isEqualTo("nightly");
        assertThat(String.join("\n", s.fixture().output(task.get("id").asLong()))).contains("from-schedule");
        JsonNode after = s.get(schedule);
        assertThat(time(after, "last_run")).isEqualTo("2026-03-01T10:05:00Z");
        assertThat(time(after, "next_run")).isEqualTo("2026-03-01T10:10:00Z");
        assertThat(after.get("last_error").isNull()).isTrue();

        at("2026-03-01T10:10:30Z");
        expectTasks(s, schedule, 2);
        Response events = s.fixture().admin().get(s.path("/events"));
        assertThat(events.body()).contains("by schedule " + schedule);
    }

    @Test
    void dueTimesMissedWhileNoServerRanAreCountedNotRun() {
        at("2026-03-02T10:00:00Z");
        Setup s = setup();
        long schedule = s.schedule(Map.of("cron_format", "*/10 * * * *"));
        at("2026-03-02T13:05:00Z"); // 10:10 ... 13:00 passed unseen
        expectTasks(s, schedule, 0);
        JsonNode missed = s.get(schedule);
        assertThat(missed.get("missed_runs").asInt()).isEqualTo(18);
        assertThat(missed.get("last_error").asText()).contains("18 due time(s)").contains("2026-03-02T10:10:00Z");
        assertThat(time(missed, "next_run")).isEqualTo("2026-03-02T13:10:00Z");
        at("2026-03-02T13:10:00Z");
        expectTasks(s, schedule, 1);
    }

    @Test
    void aScheduleReadsItsOwnTimeZoneAcrossTheSpringForwardGap() {
        at("2026-03-07T12:00:00Z");
        Setup s = setup();
        long schedule = s.schedule(Map.of("cron_format", "30 2 * * *", "timezone", "America/New_York"));
        assertThat(time(s.get(schedule), "next_run")).isEqualTo("2026-03-08T07:30:00Z"); // 03:30 EDT
        at("2026-03-08T07:30:00Z");
        expectTasks(s, schedule, 1);
        assertThat(time(s.get(schedule), "next_run")).isEqualTo("2026-03-09T06:30:00Z");
    }

    @Test
    void aOneTimeRunHappensOnceAndCanDeleteItsSchedule() {
        at("2026-03-03T10:00:00Z");
        Setup s = setup();
        long kept = s.schedule(Map.of("type", "run_at", "run_at", "2026-03-03T10:00:30Z"));
        long removed = s.schedule(Map.of("type", "run_at", "run_at", "2026-03-03T10:00:30Z", "delete_after_run", true));
        at("2026-03-03T10:00:31Z");
        at("2026-03-03T10:30:00Z");
        expectTasks(s, kept, 1);
        expectTasks(s, removed, 1);
        JsonNode done = s.get(kept);
        assertThat(done.get("active").asBoolean()).isFalse();
        assertThat(done.get("next_run").isNull()).isTrue();
        assertThat(s.fixture().admin().get(s.path("/schedules/" + removed)).status()).isEqualTo(404);
    }

    @Test
    void aScheduleKeepsItsTaskParamsAsSentAndAOneTimeRunInThePastIsRefused() {
        at("2026-03-03T10:00:00Z");
        Setup s = setup();
        var admin = s.fixture().admin();
        long limited = s.fixture().create("/templates", Map.of("name", "limited", "app", "bash",
                "playbook", "hello.sh", "repository_id", s.repository(), "allow_parallel_tasks", true,
                "task_params", Map.of("allow_override_limit", true)));
        // upstream's clients send a limit as one comma-separated text (the task's deprecated limit field)
        Map<String, Object> params = Map.of("limit", "web1, web2");
        Response created = admin.post(s.path("/schedules"), Map.of("template_id", limited, "name", "limit",
                "type", "run_at", "run_at", "2026-03-03T10:00:30Z", "task_params", params));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long schedule = created.json().get("id").asLong();
        assertThat(s.get(schedule).get("task_params").get("limit").asText()).isEqualTo("web1, web2");
        at("2026-03-03T10:00:31Z");
        JsonNode task = expectTasks(s, schedule, 1).get(0);
        assertThat(admin.get(s.path("/tasks/" + task.get("id").asLong())).json().get("params").get("limit").toString())
                .isEqualTo("[\"web1\",\"web2\"]");

        Response past = admin.post(s.path("/schedules"), Map.of("template_id", s.template(), "type", "run_at",
                "run_at", "2026-03-03T09:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.error()).contains("'run_at'").contains("past");
        // One that ran already (inactive, as a backup brings it) is kept, and so is an edit that leaves its time.
        assertThat(admin.post(s.path("/schedules"), Map.of("template_id", s.template(), "type", "run_at",
                "run_at", "2026-03-03T09:00:00Z", "active", false)).status()).isEqualTo(201);
        JsonNode ran = s.get(schedule);
        assertThat(ran.get("active").asBoolean()).isFalse();
        assertThat(admin.put(s.path("/schedules/" + schedule), Map.of("template_id", limited, "name", "renamed",
                "type", "run_at", "run_at", ran.get("run_at").asText(), "task_params", params)).status())
                .isEqualTo(204);
    }

    @Test
    void aCommitTriggeredScheduleRunsOnlyWhenTheBranchMoved() throws Exception {
        Path own = Files.createTempDirectory(TestDatabases.tempDir(), "watched");
        Files.writeString(own.resolve("hello.sh"), "echo watched\n");
        git(own, "init", "-q", "-b", "main");
        git(own, "add", ".");
        git(own, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "one");
        at("2026-03-04T10:00:00Z");
        Setup s = setup();
        long watched = s.fixture().create("/repositories", Map.of("name", "watched", "git_url", own.toString(),
                "git_branch", "main", "ssh_key_id", s.fixture().noneKey()));
        long schedule = s.schedule(Map.of("cron_format", "* * * * *", "repository_id", watched));
        at("2026-03-04T10:01:00Z");
        expectTasks(s, schedule, 1); // first look: a commit it has not seen
        at("2026-03-04T10:02:00Z");
        expectTasks(s, schedule, 1); // nothing moved
        Files.writeString(own.resolve("hello.sh"), "echo watched again\n");
        git(own, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-am", "two");
        at("2026-03-04T10:03:00Z");
        expectTasks(s, schedule, 2);
        Response delete = s.fixture().admin().delete(s.path("/repositories/" + watched));
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.error()).contains("schedule");
    }

    @Test
    void schedulesAreListedUpdatedSwitchedOffAndDeleted() {
        at("2026-03-05T10:00:00Z");
        Setup s = setup();
        long schedule = s.schedule(Map.of("cron_format", "0 * * * *"));
        var admin = s.fixture().admin();
        assertThat(admin.get(s.path("/schedules")).json().findValuesAsText("cron_format")).containsExactly("0 * * * *");
        Response ofTemplate = admin.get(s.path("/templates/" + s.template() + "/schedules"));
        assertThat(ofTemplate.json().get(0).get("id").asLong()).isEqualTo(schedule);
        Response read = admin.get(s.path("/schedules/" + schedule));
        assertThat(Contract.operationOf(read)).isEqualTo("GET /project/{id}/schedules/{id}");

        Response update = admin.put(s.path("/schedules/" + schedule), Map.of("template_id", s.template(),
                "name", "hourly at half", "cron_format", "30 * * * *"));
        assertThat(update.status()).isEqualTo(204);
        assertThat(Contract.operationOf(update)).isEqualTo("PUT /project/{id}/schedules/{id}");
        assertThat(time(s.get(schedule), "next_run")).isEqualTo("2026-03-05T10:30:00Z");

        assertThat(admin.put(s.path("/schedules/" + schedule + "/active"), Map.of("active", false)).status())
                .isEqualTo(204);
        JsonNode off = s.get(schedule);
        assertThat(off.get("active").asBoolean()).isFalse();
        assertThat(off.get("next_run").isNull()).isTrue();
        at("2026-03-05T10:30:00Z");
        expectTasks(s, schedule, 0);
        assertThat(admin.put(s.path("/schedules/" + schedule + "/active"), Map.of("active", true)).status())
                .isEqualTo(204);
        assertThat(time(s.get(schedule), "next_run")).isEqualTo("2026-03-05T11:30:00Z");

        Response deleted = admin.delete(s.path("/schedules/" + schedule));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(Contract.operationOf(deleted)).isEqualTo("DELETE /project/{id}/schedules/{id}");
        assertThat(admin.get(s.path("/schedules/" + schedule)).status()).isEqualTo(404);
        String events = admin.get(s.path("/events")).body();
        assertThat(events).contains("hourly at half updated").contains("deactivated").contains("deleted");

        // Deleting a template takes its schedules with it.
        long second = s.schedule(Map.of("cron_format", "@daily"));
        assertThat(admin.delete(s.path("/templates/" + s.template())).status()).isEqualTo(204);
        assertThat(admin.get(s.path("/schedules/" + second)).status()).isEqualTo(404);
    }

    @Test
    void badSchedulesAreRefusedNamingTheFieldAndNothingIsSaved() {
        Setup s = setup();
        var admin = s.fixture().admin();
        Map<String, Map<String, Object>> bad = Map.of(
                "cron_format", Map.of("cron_format", "61 * * * *"),
                "timezone", Map.of("cron_format", "@daily", "timezone", "Mars/Olympus"),
                "type", Map.of("cron_format", "@daily", "type", "sometimes"),
                "run_at", Map.of("type", "run_at", "run_at", "tomorrow"),
                "task_params.message", Map.of("cron_format", "@daily", "task_params", Map.of("message", "m".repeat(1025))),
                "repository_id", Map.of("cron_format", "@daily", "repository_id", 999999));
        bad.forEach((field, fields) -> {
            Map<String, Object> body = new HashMap<>(Map.of("template_id", s.template()));
            body.putAll(fields);
            Response refused = admin.post(s.path("/schedules"), body);
            assertThat(refused.status()).as(field + ": " + refused).isEqualTo(400);
            assertThat(refused.error()).as(field).contains("'" + field);
        });
        assertThat(admin.post(s.path("/schedules"), Map.of("template_id", 999999, "cron_format", "@daily")).error())
                .contains("template_id");
        assertThat(admin.get(s.path("/schedules")).json()).isEmpty();

        Response valid = admin.post(s.path("/schedules/validate"), Map.of("cron_format", "0 9 * * 1-5",
                "timezone", "Europe/Berlin"));
        assertThat(valid.status()).isEqualTo(200);
        assertThat(valid.json().get("next_runs")).hasSize(5);
        Response invalid = admin.post(s.path("/schedules/validate"), Map.of("cron_format", "* * *"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.error()).contains("cron_format").contains("5 fields").contains("Cron: ");
        for (String never : List.of("0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6 *")) {
            Response refused = admin.post(s.path("/schedules/validate"), Map.of("cron_format", never));
            assertThat(refused.status()).as(never).isEqualTo(400);
            assertThat(refused.error()).contains("cron_format").contains("never due");
            Response notMade = admin.post(s.path("/schedules"), Map.of("template_id", s.template(), "cron_format", never));
            assertThat(notMade.status()).as(never).isEqualTo(400);
            assertThat(notMade.error()).contains("never due");
        }
        assertThat(admin.post(s.path("/schedules/validate"), Map.of("cron_format", "0 0 29 2 *")).status())
                .as("leap days come").isEqualTo(200);
        assertThat(admin.get(s.path("/schedules")).json()).isEmpty();
    }

    @Test
    void aRunAFewSecondsAheadHappensOnTheRealClock() throws Exception {
        TestServer real = TestServers.of(dialect);
        ProjectFixture fixture = ProjectFixture.create(real, "schedreal");
        long repository = fixture.create("/repositories", Map.of("name", "scripts", "git_url", repo.toString(),
                "git_branch", "main", "ssh_key_id", fixture.noneKey()));
        long template = fixture.create("/templates", Map.of("name", "hello", "app", "bash", "playbook", "hello.sh",
                "repository_id", repository));
        long schedule = fixture.create("/schedules", Map.of("template_id", template, "type", "run_at",
                "run_at", Instant.now().plusSeconds(2).toString()));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode task = null;
        while (task == null && System.nanoTime() < deadline) {
            Thread.sleep(200);
            task = StreamSupport.stream(fixture.admin().get(fixture.path("/tasks")).json().spliterator(), false)
                    .filter(t -> t.path("schedule_id").asLong() == schedule).findFirst().orElse(null);
        }
        assertThat(task).as("a task queued by schedule " + schedule).isNotNull();
        assertThat(fixture.await(task.get("id").asLong(), "success", "error").get("status").asText())
                .isEqualTo("success");
    }
}
