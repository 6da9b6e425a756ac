package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.testing.StubbornScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server and runner processes from the built jar: a runner registers itself, takes a task tagged for
 * it, runs it with the same execution code as the server (a bash script from a git repository, with a
 * variable group's secret, masked) and reports it; a runner killed with SIGKILL mid-task leaves no
 * task stuck: the task fails naming it.
 */
class RunnersIT {
    @TempDir
    Path dir;

    private Map<String, String> serverEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("SEMAPHORE_DB_DIALECT", "sqlite");
        env.put("SEMAPHORE_DB_HOST", dir.resolve("db.sqlite").toString());
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("server-tmp").toString());
        env.put("SEMAPHORE_RUNNER_REGISTRATION_TOKEN", "register-me-55");
        env.put("SEMAPHORE_RUNNERS_OFFLINE_TIMEOUT_SEC", "2");
        env.put("SEMAPHORE_RUNNERS_TASK_FAIL_TIMEOUT_SEC", "3");
        env.put("SEMAPHORE_RUNNERS_RECONCILE_INTERVAL_SEC", "1");
        return env;
    }

    private Process runner(int port, String name, String tag) throws Exception {
        return runner(port, name, tag, Map.of());
    }

    private Process runner(int port, String name, String tag, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("SEMAPHORE_WEB_ROOT", "http://127.0.0.1:" + port);
        env.put("SEMAPHORE_RUNNER_REGISTRATION_TOKEN", "register-me-55");
        env.put("SEMAPHORE_RUNNER_TOKEN_FILE", dir.resolve(name + ".token").toString());
        env.put("SEMAPHORE_RUNNER_PRIVATE_KEY_FILE", dir.resolve(name + ".key").toString());
        env.put("SEMAPHORE_RUNNER_NAME", name);
        env.put("SEMAPHORE_RUNNER_TAGS", tag);
        env.put("SEMAPHORE_RUNNER_MAX_PARALLEL_TASKS", "2");
        env.put("SEMAPHORE_TMP_PATH", dir.resolve(name + "-tmp").toString());
        return Jar.builder(dir, env, "runner", "start", "--register", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    @Test
    void aRunnerProcessRunsATaskAndOneKilledMidTaskLeavesNoneStuck() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = serverEnv(port);
        assertThat(Jar.run(dir, env, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "pw", "--admin", "--no-config").exit()).isZero();
        String token = Jar.run(dir, env, null, "user", "token", "create", "--login", "ops", "--no-config").out().trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("hello.sh"), "echo \"hello from $(hostname) with $API_TOKEN\"\n"
                + "echo \"second line\"\n");
        Files.writeString(scripts.resolve("long.sh"), "echo started\nsleep 300\n");
        Files.writeString(scripts.resolve("count.sh"), "for i in $(seq 40); do echo \"count $i\"; sleep 0.1; done\n");
        dev.semaphore.testing.GitRepos.commitAll(scripts);
        JarApi api = new JarApi(port, token);

        Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        Process edge = null;
        Process doomed = null;
        try {
            JarApi.waitForPing(port);
            edge = runner(port, "edge-1", "edge");
            long project = api.post("/api/projects", "{\"name\": \"remote\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long none = api.get(base + "/keys").get(0).get("id").asLong();
            long repository = api.post(base + "/repositories", "{\"name\": \"s\", \"git_url\": \"file://" + scripts
                    + "\", \"git_branch\": \"main\", \"ssh_key_id\": " + none + "}").get("id").asLong();
            long group = api.post(base + "/environment", "{\"name\": \"g\", \"json\": \"{}\", \"env\": \"{}\","
                    + " \"secrets\": [{\"name\": \"API_TOKEN\", \"type\": \"env\", \"secret\": \"sekret-for-runner\"}]}")
                    .get("id").asLong();
            long hello = api.post(base + "/templates", "{\"name\": \"hello\", \"app\": \"bash\", \"playbook\":"
                    + " \"hello.sh\", \"repository_id\": " + repository + ", \"environment_id\": " + group
                    + ", \"runner_tag\": \"edge\"}").get("id").asLong();
            long task = api.post(base + "/tasks", "{\"template_id\": " + hello + "}").get("id").asLong();
            JsonNode done = await(api, base + "/tasks/" + task, "success", 60_000);
            assertThat(done.get("runner_id").isNumber()).isTrue();
            String output = api.get(base + "/tasks/" + task + "/output").toString();
            assertThat(output).contains("second line").contains("hello from").doesNotContain("sekret-for-runner");
            assertThat(Files.readString(dir.resolve("edge-1.token")).strip()).isNotEmpty();
            // Nothing secret is left on the runner: not in its log, its files, or its environment block.
            assertThat(Files.readString(dir.resolve("edge-1.log"))).doesNotContain("sekret-for-runner");
            try (var files = Files.walk(dir.resolve("edge-1-tmp"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                            .as(file.toString()).doesNotContain("sekret-for-runner");
                }
            }
            String environ = Files.readString(Path.of("/proc/" + edge.pid() + "/environ"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(environ).doesNotContain("register-me-55");
            JsonNode runners = api.get("/api/runners");
            assertThat(runners.toString()).contains("edge-1").contains("\"online\":true")
                    .contains("\"version\":\"semaphore-java/").containsPattern("\"system_load\":\"[0-9.]+\"");

            // A one-off runner ends once it has run and reported its job.
            Process once = runner(port, "once", "once", Map.of("SEMAPHORE_RUNNER_ONE_OFF", "true"));
            long onceTemplate = api.post(base + "/templates", "{\"name\": \"once\", \"app\": \"bash\", \"playbook\":"
                    + " \"hello.sh\", \"repository_id\": " + repository + ", \"runner_tag\": \"once\"}").get("id").asLong();
            long onceTask = api.post(base + "/tasks", "{\"template_id\": " + onceTemplate + "}").get("id").asLong();
            await(api, base + "/tasks/" + onceTask, "success", 60_000);
            assertThat(once.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the one-off runner ended").isTrue();
            assertThat(once.exitValue()).isZero();

            // The server restarts while the runner works: the task goes on, and no line is lost.
            long counting = api.post(base + "/templates", "{\"name\": \"count\", \"app\": \"bash\", \"playbook\":"
                    + " \"count.sh\", \"repository_id\": " + repository + ", \"runner_tag\": \"edge\"}").get("id").asLong();
            long countTask = api.post(base + "/tasks", "{\"template_id\": " + counting + "}").get("id").asLong();
            await(api, base + "/tasks/" + countTask, "running", 60_000);
            server.destroy();
            server.waitFor();
            Thread.sleep(1_000);
            server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server-2.log").toFile()).start();
            JarApi.waitForPing(port);
            await(api, base + "/tasks/" + countTask, "success", 60_000);
            String counted = api.get(base + "/tasks/" + countTask + "/output").toString();
            for (int i = 1; i <= 40; i++) {
                assertThat(counted).as("line %d survived the restart", i).contains("\"count " + i + "\"");
            }

            doomed = runner(port, "doomed", "doomed");
            long longTemplate = api.post(base + "/templates", "{\"name\": \"long\", \"app\": \"bash\", \"playbook\":"
                    + " \"long.sh\", \"repository_id\": " + repository + ", \"runner_tag\": \"doomed\"}").get("id").asLong();
            long longTask = api.post(base + "/tasks", "{\"template_id\": " + longTemplate + "}").get("id").asLong();
            await(api, base + "/tasks/" + longTask, "running", 60_000);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!api.get(base + "/tasks/" + longTask + "/output").toString().contains("started")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            doomed.destroyForcibly(); // SIGKILL: the runner says nothing more
            doomed.waitFor();
            JsonNode failed = await(api, base + "/tasks/" + longTask, "error", 30_000);
            assertThat(failed.get("status").asText()).isEqualTo("error");
            assertThat(api.get(base + "/tasks/" + longTask + "/output").toString()).contains("doomed")
                    .contains("stopped answering");
        } finally {
            for (Process p : new Process[] {edge, doomed, server}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor();
                }
            }
        }
    }

    /**
     * A stop reaches a task a runner runs as it reaches a local one: SIGTERM to every process of it (a child that
     * traps TERM, one that left with setsid), the task says stopping until none is left or the grace ends, then
     * what is left is killed, and only then is it reported stopped.
     */
    @Test
    void aRunnerStopsEveryProcessOfATaskAndReportsStoppedOnlyWhenNoneIsLeft() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = serverEnv(port);
        assertThat(Jar.run(dir, env, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "pw", "--admin", "--no-config").exit()).isZero();
        String token = Jar.run(dir, env, null, "user", "token", "create", "--login", "ops", "--no-config").out().trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        String marker = "runner-stop-" + System.nanoTime();
        Files.writeString(scripts.resolve("resist.sh"), StubbornScripts.RESIST);
        dev.semaphore.testing.GitRepos.commitAll(scripts);
        JarApi api = new JarApi(port, token);
        Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        Process stopper = null;
        int grace = 3;
        try {
            JarApi.waitForPing(port);
            stopper = runner(port, "stopper", "stopper", Map.of("SEMAPHORE_TASK_STOP_GRACE_SEC", String.valueOf(grace)));
            long project = api.post("/api/projects", "{\"name\": \"stops\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long none = api.get(base + "/keys").get(0).get("id").asLong();
            long repository = api.post(base + "/repositories", "{\"name\": \"s\", \"git_url\": \"file://" + scripts
                    + "\", \"git_branch\": \"main\", \"ssh_key_id\": " + none + "}").get("id").asLong();
            long group = api.post(base + "/environment", "{\"name\": \"marked\", \"json\": \"{}\", \"env\":"
                    + " \"{\\\"STOP_MARKER\\\": \\\"" + marker + "\\\"}\"}").get("id").asLong();
            long template = api.post(base + "/templates", "{\"name\": \"resist\", \"app\": \"bash\", \"playbook\":"
                    + " \"resist.sh\", \"repository_id\": " + repository + ", \"environment_id\": " + group
                    + ", \"runner_tag\": \"stopper\"}").get("id").asLong();
            long task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            String path = base + "/tasks/" + task;
            long deadline = System.currentTimeMillis() + 60_000;
            while (!api.get(path + "/output").toString().contains("started") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(api.get(path).get("runner_id").isNumber()).isTrue();
            assertThat(StubbornScripts.marked(marker)).as("the script, its child, the setsid one").hasSizeGreaterThanOrEqualTo(3);
            long asked = System.nanoTime();
            assertThat(api.raw("POST", path + "/stop", "{\"force\": false}").statusCode()).isEqualTo(204);
            String status;
            while ((status = api.get(path).get("status").asText()).equals("stopping")
                    && System.nanoTime() - asked < (grace + 30) * 1_000_000_000L) {
                Thread.sleep(20);
            }
            assertThat(status).as(api.get(path + "/output").toString()).isEqualTo("stopped");
            assertThat(StubbornScripts.marked(marker)).as("when it says stopped, nothing of it runs").isEmpty();
            assertThat((System.nanoTime() - asked) / 1_000_000).as("the handlers kept them for the grace period")
                    .isGreaterThan(grace * 1000L - 300);
            assertThat(api.get(path + "/output").toString()).contains("main-term-ignored").contains("child-term-ignored");
        } finally {
            if (stopper != null) {
                stopper.destroy();
                stopper.waitFor();
            }
            server.destroy();
            server.waitFor();
            StubbornScripts.marked(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static JsonNode await(JarApi api, String path, String status, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        JsonNode current = api.get(path);
        while (!current.get("status").asText().equals(status) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            current = api.get(path);
        }
        assertThat(current.get("status").asText()).as(current.toString()).isEqualTo(status);
        return current;
    }
}
