package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Shell tasks end to end: a real git repository on disk, real bash, the engine's queue and stop. */
@ParameterizedClass
@EnumSource(Dialect.class)
class TasksApiTest {
    private static Path repo;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void makeRepository() throws Exception {
        repo = Files.createTempDirectory(TestDatabases.tempDir(), "scripts");
        Files.writeString(repo.resolve("hello.sh"), """
                echo "hello from $SEMAPHORE_TASK_ID"
                echo "args: $*"
                echo "region=$REGION token=$API_TOKEN"
                """);
        Files.writeString(repo.resolve("fail.sh"), "echo about to fail\nexit 3\n");
        Files.writeString(repo.resolve("sleep.sh"), "echo sleeping\nsleep \"${1:-30}\" & wait\necho woke\n");
        Files.writeString(repo.resolve("survey.sh"), "echo \"survey=$survey_pass group=$REGION\"\n");
        Files.writeString(repo.resolve("targets.sh"), "echo \"note=[$NOTE] token=[$TOKEN] args: $*\"\n");
        Files.writeString(repo.resolve("tick.py"), "import time\nprint('tick')\ntime.sleep(0.4)\nprint('tock')\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "scripts for tests");
    }

    static void git(Path dir, String... args) throws Exception {
        dev.semaphore.testing.GitRepos.git(dir, args);
    }

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private record Setup(ProjectFixture fixture, long repository, long environment) {
        Client admin() {
            return fixture.admin();
        }

        String path(String rest) {
            return fixture.path(rest);
        }

        long template(String name, String app, String script, Map<String, Object> extra) {
            Map<String, Object> body = new HashMap<>(Map.of("name", name, "app", app, "playbook", script,
                    "repository_id", repository, "environment_id", environment));
            body.putAll(extra);
            return fixture.create("/templates", body);
        }

        JsonNode run(long template, Map<String, Object> extra) {
            return fixture.run(template, extra);
        }

        JsonNode await(long task, String... statuses) throws InterruptedException {
            return fixture.await(task, statuses);
        }

        List<String> output(long task) {
            return fixture.output(task);
        }
    }

    private Setup setup(String repositoryUrl) {
        ProjectFixture fixture = ProjectFixture.create(server(), "tasks");
        long repository = fixture.create("/repositories", Map.of("name", "scripts",
                "git_url", repositoryUrl, "git_branch", "main", "ssh_key_id", fixture.noneKey()));
        long environment = fixture.create("/environment", Map.of("name", "vars",
                "env", "{\"REGION\": \"eu-west\"}", "secrets", List.of(Map.of("name", "API_TOKEN", "type", "env",
                        "secret", "tok-very-secret-42"))));
        return new Setup(fixture, repository, environment);
    }

    @Test
    void aBashTaskRunsWithArgumentsVariablesAndMaskedSecrets() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("hello", "bash", "hello.sh", Map.of("arguments", "[\"one\", \"two\"]",
                "allow_override_args_in_task", true));
        JsonNode task = s.run(template, Map.of("message", "first run", "arguments", "[\"three\"]"));
        assertThat(task.get("status").asText()).isIn("waiting", "starting", "running");
        JsonNode done = s.await(task.get("id").asLong(), "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("success");
        assertThat(done.get("start").asText()).endsWith("Z");
        assertThat(done.get("end").asText()).endsWith("Z");
        assertThat(done.get("commit_message").asText()).isEqualTo("scripts for tests");
        assertThat(done.get("commit_hash").asText()).hasSize(40);
        List<String> output = s.output(task.get("id").asLong());
        assertThat(output).contains("hello from " + task.get("id").asLong(), "args: one two three",
                "region=eu-west token=***");
        String raw = s.admin().get(s.path("/tasks/" + task.get("id").asLong() + "/raw_output")).body();
        assertThat(raw).contains("args: one two three").doesNotContain("tok-very-secret-42");
        assertThat(s.admin().get(s.path("/tasks/" + task.get("id").asLong() + "/stages")).json()
                .findValuesAsText("type")).containsExactly("init", "running");
        JsonNode listed = s.admin().get(s.path("/templates")).json().get(0);
        assertThat(listed.get("tasks").asInt()).isEqualTo(1);
        assertThat(listed.get("last_task").get("id").asLong()).isEqualTo(task.get("id").asLong());
        assertThat(listed.get("last_task").get("status").asText()).isEqualTo("success");
        assertThat(s.admin().get(s.path("/templates/" + template)).json().get("last_task").get("status").asText())
                .isEqualTo("success");
        assertThat(s.admin().get(s.path("/templates/" + template + "/tasks")).json()).hasSize(1);
        assertThat(s.admin().get(s.path("/tasks/last")).json().get(0).get("tpl_alias").asText()).isEqualTo("hello");
        List<String> events = s.admin().get(s.path("/events")).json().findValuesAsText("description");
        assertThat(events).anyMatch(e -> e.endsWith("finished with status success"));
    }

    @Test
    void aFailingScriptEndsInErrorAndAClonedRepositoryWorksToo() throws Exception {
        Setup s = setup("file://" + repo);
        long failing = s.template("fail", "bash", "fail.sh", Map.of());
        JsonNode done = s.await(s.run(failing, Map.of()).get("id").asLong(), "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("error");
        assertThat(s.output(done.get("id").asLong())).contains("about to fail").anyMatch(l -> l.startsWith("Cloning"));
        long python = s.template("py", "python", "tick.py", Map.of());
        JsonNode ticked = s.await(s.run(python, Map.of()).get("id").asLong(), "success", "error");
        assertThat(ticked.get("status").asText()).isEqualTo("success");
        assertThat(s.output(ticked.get("id").asLong())).contains("tick", "tock");
    }

    @Test
    void overridesTheTemplateDoesNotAllowAreIgnoredAndSaidInTheLog() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("strict", "bash", "hello.sh", Map.of());
        assertThat(s.admin().post(s.path("/tasks"), Map.of("template_id", 999999)).error()).contains("template_id");
        assertThat(s.admin().post(s.path("/tasks"), Map.of("template_id", template, "environment", "[1]")).error())
                .contains("environment");
        assertThat(s.admin().get(s.path("/tasks")).json()).isEmpty();
        // As upstream, such a task is accepted; what the template does not allow is left out, and said.
        Response accepted = s.admin().post(s.path("/tasks"), Map.of("template_id", template, "git_branch", "dev",
                "arguments", "[\"--from-task\"]", "inventory_id", 999999));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
        long task = accepted.json().get("id").asLong();
        JsonNode done = s.await(task, "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("success");
        assertThat(done.get("git_branch").isNull()).isTrue();
        assertThat(done.get("tpl_playbook").asText()).isEqualTo("hello.sh");
        assertThat(done.get("limit").asText()).isEmpty();
        List<String> output = s.output(task);
        assertThat(output.get(0)).contains("Ignored the task's branch dev");
        assertThat(output).anyMatch(l -> l.contains("Ignored the task's arguments"))
                .anyMatch(l -> l.contains("Ignored the task's inventory 999999"))
                .noneMatch(l -> l.contains("args: --from-task"));
    }

    @Test
    void aTaskNeedingAnUnusableKeyFailsBeforeItStartsSayingWhy() throws Exception {
        ProjectFixture fixture = ProjectFixture.create(server(), "badkey");
        long key = fixture.create("/keys", Map.of("name", "broken deploy key", "type", "ssh",
                "ssh", Map.of("login", "git", "private_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n")));
        long repository = fixture.create("/repositories", Map.of("name", "scripts", "git_url", repo.toString(),
                "git_branch", "main", "ssh_key_id", key));
        long template = fixture.create("/templates", Map.of("name", "t", "app", "bash", "playbook", "hello.sh",
                "repository_id", repository));
        long task = fixture.run(template, Map.of()).get("id").asLong();
        assertThat(fixture.await(task, "success", "error").get("status").asText()).isEqualTo("error");
        assertThat(fixture.output(task)).singleElement().asString().contains("could not start")
                .contains("broken deploy key cannot be used");
    }

    @Test
    void stoppingEndsTheWholeProcessTree() throws Exception {
        Setup s = setup(repo.toString());
        String marker = "4" + (System.nanoTime() % 100000) + "7";
        long template = s.template("sleepy", "bash", "sleep.sh", Map.of("arguments", "[\"" + marker + "\"]"));
        for (boolean force : new boolean[] {false, true}) {
            long task = s.run(template, Map.of()).get("id").asLong();
            s.await(task, "running");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!sleepRunning(marker) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sleepRunning(marker)).isTrue();
            assertThat(s.admin().post(s.path("/tasks/" + task + "/stop"), Map.of("force", force)).status())
                    .isEqualTo(204);
            JsonNode stopped = s.await(task, "stopped");
            assertThat(stopped.get("end").isNull()).isFalse();
            deadline = System.currentTimeMillis() + 10_000;
            while (sleepRunning(marker) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sleepRunning(marker)).as("sleep left behind (force=" + force + ")").isFalse();
            // Stopping an ended task changes nothing and is no error, as upstream.
            assertThat(s.admin().post(s.path("/tasks/" + task + "/stop"), Map.of()).status()).isEqualTo(204);
            assertThat(s.admin().get(s.path("/tasks/" + task)).json().get("status").asText()).isEqualTo("stopped");
        }
    }

    private static boolean sleepRunning(String marker) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep " + marker));
    }

    @Test
    void runsOfOneTemplateWaitForEachOtherUnlessItAllowsParallelRuns() throws Exception {
        Setup s = setup(repo.toString());
        long serial = s.template("serial", "python", "tick.py", Map.of());
        long parallel = s.template("parallel", "python", "tick.py", Map.of("allow_parallel_tasks", true));
        for (long template : new long[] {serial, parallel}) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(s.run(template, Map.of()).get("id").asLong());
            }
            List<JsonNode> done = new ArrayList<>();
            for (long id : ids) {
                done.add(s.await(id, "success", "error"));
            }
            boolean overlapped = false;
            for (int i = 0; i < done.size(); i++) {
                for (int j = i + 1; j < done.size(); j++) {
                    Instant aStart = Instant.parse(done.get(i).get("start").asText());
                    Instant aEnd = Instant.parse(done.get(i).get("end").asText());
                    Instant bStart = Instant.parse(done.get(j).get("start").asText());
                    Instant bEnd = Instant.parse(done.get(j).get("end").asText());
                    overlapped |= aStart.isBefore(bEnd) && bStart.isBefore(aEnd);
                }
            }
            assertThat(done).extracting(t -> t.get("status").asText()).containsOnly("success");
            assertThat(overlapped).as(template == serial ? "serial runs overlapped" : "parallel runs did not overlap")
                    .isEqualTo(template == parallel);
            if (template == serial) {
                assertThat(done).extracting(t -> Instant.parse(t.get("start").asText())).isSorted();
            }
        }
    }

    @Test
    void buildsCountVersionsUpAndStartTheirAutorunDeploys() throws Exception {
        Setup s = setup(repo.toString());
        long build = s.template("build", "bash", "hello.sh", Map.of("type", "build", "start_version", "1.4.9"));
        long deploy = s.template("deploy", "bash", "hello.sh", Map.of("type", "deploy", "build_template_id", build,
                "autorun", true));
        JsonNode first = s.run(build, Map.of());
        assertThat(first.get("version").asText()).isEqualTo("1.4.9");
        s.await(first.get("id").asLong(), "success");
        JsonNode second = s.run(build, Map.of());
        assertThat(second.get("version").asText()).isEqualTo("1.4.10");
        s.await(second.get("id").asLong(), "success");
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode deploys = s.admin().get(s.path("/templates/" + deploy + "/tasks")).json();
        while (deploys.size() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            deploys = s.admin().get(s.path("/templates/" + deploy + "/tasks")).json();
        }
        assertThat(deploys).hasSize(2);
        JsonNode firstDeploy = deploys.get(1);
        assertThat(firstDeploy.get("version").asText()).isEqualTo("1.4.9");
        assertThat(firstDeploy.get("build_task_id").asLong()).isEqualTo(first.get("id").asLong());
        assertThat(s.await(firstDeploy.get("id").asLong(), "success", "error").get("status").asText())
                .isEqualTo("success");
    }

    @Test
    void secretSurveyValuesReachTheScriptMaskedAndAreForgottenAfterwards() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("survey", "bash", "survey.sh", Map.of("survey_vars",
                List.of(Map.of("name", "survey_pass", "type", "secret"))));
        long id = s.run(template, Map.of("secret", "{\"survey_pass\": \"s3cr3t-survey-value\"}")).get("id").asLong();
        assertThat(s.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        assertThat(s.output(id)).contains("survey=*** group=eu-west");
        assertThat(s.admin().get(s.path("/tasks/" + id)).body()).doesNotContain("s3cr3t-survey-value");
        Response bad = s.admin().post(s.path("/tasks"), Map.of("template_id", template, "secret", "[1]"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'secret'");
    }

    /**
     * Upstream's newer survey: a multi-line text and a select (several choices, a list) and the env target, which
     * passes a variable (a secret one too) in the process environment instead of the script's arguments.
     */
    @Test
    void surveyTextSelectAndEnvTargetsReachTheScriptAsUpstreamPassesThem() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("targets", "bash", "targets.sh", Map.of("survey_vars", List.of(
                Map.of("name", "NOTE", "type", "text", "target", "env"),
                Map.of("name", "TOKEN", "type", "secret", "target", "env"),
                Map.of("name", "REGIONS", "type", "select", "values", List.of(Map.of("name", "EU", "value", "eu"),
                        Map.of("name", "US", "value", "us")), "default_value", List.of("eu")))));
        JsonNode survey = s.admin().get(s.path("/templates/" + template)).json().get("survey_vars");
        assertThat(survey.get(0).get("target").asText()).isEqualTo("env");
        assertThat(survey.get(0).get("default_value").isNull()).as("a null default stays null").isTrue();
        assertThat(survey.get(2).get("default_value").toString()).isEqualTo("[\"eu\"]");
        long id = s.run(template, Map.of("environment", "{\"NOTE\": \"two words\", \"REGIONS\": [\"eu\", \"us\"]}",
                "secret", "{\"TOKEN\": \"tok-3141\"}")).get("id").asLong();
        assertThat(s.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        String line = s.output(id).stream().filter(l -> l.contains("note=")).findFirst().orElseThrow();
        assertThat(line).contains("note=[two words]").contains("token=[***]")
                .contains("REGIONS=[\"eu\",\"us\"]").doesNotContain("NOTE=").doesNotContain("tok-3141");
    }

    @Test
    void aTaskRunsTheCommitItNames() throws Exception {
        Path versions = Files.createTempDirectory(TestDatabases.tempDir(), "versions");
        Files.writeString(versions.resolve("which.sh"), "echo first version\n");
        git(versions, "init", "-q", "-b", "main");
        git(versions, "add", ".");
        git(versions, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "first");
        Process rev = new ProcessBuilder("git", "-C", versions.toString(), "rev-parse", "HEAD").start();
        String first = new String(rev.getInputStream().readAllBytes()).trim();
        rev.waitFor();
        Files.writeString(versions.resolve("which.sh"), "echo second version\n");
        git(versions, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-am", "second");
        Setup s = setup("file://" + versions);
        long template = s.template("which", "bash", "which.sh", Map.of());
        long latest = s.run(template, Map.of()).get("id").asLong();
        assertThat(s.await(latest, "success", "error").get("commit_message").asText()).isEqualTo("second");
        long pinned = s.run(template, Map.of("commit_hash", first.substring(0, 12))).get("id").asLong();
        JsonNode done = s.await(pinned, "success", "error");
        assertThat(done.get("commit_hash").asText()).isEqualTo(first);
        assertThat(s.output(pinned)).contains("first version");
        assertThat(s.admin().post(s.path("/tasks"), Map.of("template_id", template, "commit_hash", "main; rm"))
                .status()).isEqualTo(400);
    }

    @Test
    void theTaskListFiltersByTemplateStatusAndUserAndPages() throws Exception {
        Setup s = setup(repo.toString());
        long hello = s.template("hello", "bash", "hello.sh", Map.of("allow_parallel_tasks", true));
        long fail = s.template("fail", "bash", "fail.sh", Map.of());
        List<Long> ids = new ArrayList<>();
        for (long template : new long[] {hello, hello, fail, hello}) {
            ids.add(s.run(template, Map.of()).get("id").asLong());
        }
        for (long id : ids) {
            s.await(id, "success", "error");
        }
        String base = "/tasks?";
        assertThat(s.admin().get(s.path(base + "template_id=" + hello)).json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(3)), String.valueOf(ids.get(1)), String.valueOf(ids.get(0)));
        assertThat(s.admin().get(s.path(base + "status=error")).json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(2)));
        assertThat(s.admin().get(s.path(base + "user_id=" + s.admin().userId())).json()).hasSize(4);
        assertThat(s.admin().get(s.path(base + "limit=2")).json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(3)), String.valueOf(ids.get(2)));
        assertThat(s.admin().get(s.path(base + "offset=2&limit=2")).json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(1)), String.valueOf(ids.get(0)));
        // Upstream's keyset paging: count tasks before a task id, and whether older ones follow.
        Response first = s.admin().get(s.path(base + "count=2"));
        assertThat(first.json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(3)), String.valueOf(ids.get(2)));
        assertThat(first.header("X-Has-Next")).isEqualTo("true");
        Response next = s.admin().get(s.path(base + "count=2&before=" + ids.get(2)));
        assertThat(next.json().findValuesAsText("id"))
                .containsExactly(String.valueOf(ids.get(1)), String.valueOf(ids.get(0)));
        assertThat(next.header("X-Has-Next")).isEqualTo("false");
        Response last = s.admin().get(s.path("/tasks/last?count=1&before=" + ids.get(3)));
        assertThat(last.json().findValuesAsText("id")).containsExactly(String.valueOf(ids.get(2)));
        assertThat(last.header("X-Has-Next")).isEqualTo("true");
        Response ofTemplate = s.admin().get(s.path("/templates/" + hello + "/tasks/last?count=5&before=" + ids.get(1)));
        assertThat(ofTemplate.json().findValuesAsText("id")).containsExactly(String.valueOf(ids.get(0)));
        assertThat(ofTemplate.header("X-Has-Next")).isEqualTo("false");
        Response bad = s.admin().get(s.path(base + "status=finished"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("'status'");
        assertThat(s.admin().get(s.path(base + "before=x")).error()).contains("'before'");

        // Upstream's charts: per day, how many tasks ended how and how long they took.
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        JsonNode stats = s.admin().get(s.path("/stats?start=" + today + "&end=" + today)).json();
        assertThat(stats).hasSize(1);
        assertThat(stats.get(0).get("date").asText()).isEqualTo(today);
        assertThat(stats.get(0).get("count_by_status").get("success").asInt()).isEqualTo(3);
        assertThat(stats.get(0).get("count_by_status").get("error").asInt()).isEqualTo(1);
        assertThat(stats.get(0).get("avg_duration").asLong()).isGreaterThanOrEqualTo(0);
        JsonNode ofFail = s.admin().get(s.path("/templates/" + fail + "/stats")).json();
        assertThat(ofFail.get(0).get("count_by_status").toString()).isEqualTo("{\"error\":1}");
        assertThat(s.admin().get(s.path("/stats?user_id=999999")).json()).isEmpty();
        assertThat(s.admin().get(s.path("/stats?start=2020-01-01&end=2020-01-31")).json()).isEmpty();
        assertThat(s.admin().get(s.path("/stats?start=yesterday")).error()).contains("'start'");
    }

    @Test
    void stopAllEndsEveryQueuedAndRunningTaskOfATemplate() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("sleepy", "bash", "sleep.sh", Map.of());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(s.run(template, Map.of()).get("id").asLong());
        }
        s.await(ids.get(0), "running");
        Response stopped = s.admin().post(s.path("/templates/" + template + "/stop_all_tasks"), Map.of("force", true));
        assertThat(stopped.status()).isEqualTo(204);
        for (long id : ids) {
            assertThat(s.await(id, "stopped", "success", "error").get("status").asText()).isEqualTo("stopped");
        }
        assertThat(s.admin().post(s.path("/templates/999999/stop_all_tasks"), Map.of()).status()).isEqualTo(404);
    }

    @Test
    void aTaskCanBeDeletedOnceItHasEnded() throws Exception {
        Setup s = setup(repo.toString());
        long template = s.template("short", "bash", "hello.sh", Map.of());
        long task = s.run(template, Map.of()).get("id").asLong();
        s.await(task, "success", "error");
        assertThat(s.admin().delete(s.path("/tasks/" + task)).status()).isEqualTo(204);
        assertThat(s.admin().get(s.path("/tasks/" + task)).status()).isEqualTo(400);
        assertThat(s.admin().get(s.path("/tasks/" + task + "/output")).status()).isEqualTo(400);
    }

    @Test
    void anotherProjectsTaskIsABadRequestInOnesOwnAsUpstream() throws Exception {
        Setup theirs = setup(repo.toString());
        long foreign = theirs.run(theirs.template("short", "bash", "hello.sh", Map.of()), Map.of()).get("id").asLong();
        theirs.await(foreign, "success", "error");
        Setup mine = setup(repo.toString());
        Response asked = mine.admin().get(mine.path("/tasks/" + foreign));
        assertThat(asked.status()).isEqualTo(400);
        assertThat(asked.error()).contains("task " + foreign).contains("not a task of this project");
        assertThat(mine.admin().post(mine.path("/tasks/" + foreign + "/stop"), Map.of()).status()).isEqualTo(400);
        assertThat(mine.admin().get(mine.path("/tasks/" + foreign + "/output")).status()).isEqualTo(400);
        assertThat(theirs.admin().get(theirs.path("/tasks/" + foreign)).status()).isEqualTo(200);
    }

    @Test
    void aServerThatDiedMidTaskFailsItOnTheNextStart() throws Exception {
        if (dialect != Dialect.SQLITE) {
            return; // one restart scenario is enough; it does not depend on the database
        }
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        long project;
        long task;
        try (TestServer first = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = first.admin();
            project = createProject(admin, "crash");
            long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
            long repository = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                    "git_url", repo.toString(), "ssh_key_id", key)).json().get("id").asLong();
            long template = admin.post("/api/project/" + project + "/templates", Map.of("name", "t", "app", "bash",
                    "playbook", "sleep.sh", "repository_id", repository)).json().get("id").asLong();
            task = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", template)).json()
                    .get("id").asLong();
            long p = project;
            long t = task;
            long deadline = System.currentTimeMillis() + 10_000;
            while (!admin.get("/api/project/" + p + "/tasks/" + t).json().get("status").asText().equals("running")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
        // A killed server does no shutdown work: its task row stays "running". Put it back that way.
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + json.path("sqlite").path("host").asText());
             var update = c.prepareStatement("UPDATE tasks SET status = 'running', end_time = NULL WHERE id = ?")) {
            update.setLong(1, task);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        try (TestServer again = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = again.admin();
            long p = project;
            long t = task;
            long deadline = System.currentTimeMillis() + 10_000;
            JsonNode state = admin.get("/api/project/" + p + "/tasks/" + t).json();
            while (!state.get("status").asText().equals("error") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
                state = admin.get("/api/project/" + p + "/tasks/" + t).json();
            }
            assertThat(state.get("status").asText()).isEqualTo("error");
            List<String> lines = new ArrayList<>();
            admin.get("/api/project/" + p + "/tasks/" + t + "/output").json()
                    .forEach(l -> lines.add(l.get("output").asText()));
            assertThat(lines).anyMatch(l -> l.matches("The server( process on .+ \\(pid \\d+\\))? stopped while this task"
                    + " was running; it was marked as failed\\."));
        }
    }
}
