package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner in its own network namespace ({@code ip netns}), its one link to the server cut mid-task:
 * a short cut loses nothing (the runner keeps its lines and sends them when it can), a cut longer
 * than {@code runners.task_fail_timeout_sec} fails the task naming the runner, and the runner, back,
 * neither changes that task nor keeps running it.
 */
class RunnerPartitionIT {
    private static final String HOST_IP = "10.251.77.1";
    private static final String RUNNER_IP = "10.251.77.2";

    @TempDir
    Path dir;

    private final String namespace = "semrun" + ProcessHandle.current().pid() % 100000;
    private final String hostLink = "vsh" + ProcessHandle.current().pid() % 100000;

    private static void sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }

    private boolean network() {
        try {
            sh("ip", "netns", "add", namespace);
            sh("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "vsr" + hostLink.substring(3));
            sh("ip", "link", "set", "vsr" + hostLink.substring(3), "netns", namespace);
            sh("ip", "addr", "add", HOST_IP + "/24", "dev", hostLink);
            sh("ip", "link", "set", hostLink, "up");
            sh("ip", "netns", "exec", namespace, "ip", "addr", "add", RUNNER_IP + "/24", "dev", "vsr" + hostLink.substring(3));
            sh("ip", "netns", "exec", namespace, "ip", "link", "set", "vsr" + hostLink.substring(3), "up");
            sh("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
            return true;
        } catch (Exception e) {
            System.err.println("no network namespace here (" + e.getMessage() + ")");
            return false;
        }
    }

    @AfterEach
    void removeNetwork() {
        try {
            sh("ip", "netns", "del", namespace);
        } catch (Exception ignored) {
            // never made
        }
        try {
            sh("ip", "link", "del", hostLink);
        } catch (Exception ignored) {
            // gone with the namespace
        }
    }

    @Test
    void aCutLinkLosesNoLineAndALongCutFailsTheTaskNamingTheRunner() throws Exception {
        Assumptions.assumeTrue(network(), "ip netns needs root: this test cuts a runner's network in a namespace");
        int port = JarApi.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("SEMAPHORE_DB_DIALECT", "sqlite");
        env.put("SEMAPHORE_DB_HOST", dir.resolve("db.sqlite").toString());
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("server-tmp").toString());
        env.put("SEMAPHORE_RUNNER_REGISTRATION_TOKEN", "partition-55");
        env.put("SEMAPHORE_RUNNERS_OFFLINE_TIMEOUT_SEC", "2");
        env.put("SEMAPHORE_RUNNERS_TASK_FAIL_TIMEOUT_SEC", "10");
        env.put("SEMAPHORE_RUNNERS_RECONCILE_INTERVAL_SEC", "1");
        assertThat(Jar.run(dir, env, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "pw", "--admin", "--no-config").exit()).isZero();
        String token = Jar.run(dir, env, null, "user", "token", "create", "--login", "ops", "--no-config").out().trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("count.sh"), "for i in $(seq 80); do echo \"count $i\"; sleep 0.1; done\n");
        Files.writeString(scripts.resolve("long.sh"), "for i in $(seq 600); do echo \"tick $i\"; sleep 0.1; done\n");
        dev.semaphore.testing.GitRepos.commitAll(scripts);
        JarApi api = new JarApi(port, token);

        Process server = Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        Process runner = null;
        try {
            JarApi.waitForPing(port);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(Jar.command("runner", "start", "--register", "--no-config"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("runner.log").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("SEMAPHORE_"));
            builder.environment().putAll(Map.of("SEMAPHORE_WEB_ROOT", "http://" + HOST_IP + ":" + port,
                    "SEMAPHORE_RUNNER_REGISTRATION_TOKEN", "partition-55",
                    "SEMAPHORE_RUNNER_TOKEN_FILE", dir.resolve("runner.token").toString(),
                    "SEMAPHORE_RUNNER_NAME", "far-away", "SEMAPHORE_RUNNER_TAGS", "far",
                    "SEMAPHORE_TMP_PATH", dir.resolve("runner-tmp").toString()));
            runner = builder.start();

            long project = api.post("/api/projects", "{\"name\": \"partition\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long none = api.get(base + "/keys").get(0).get("id").asLong();
            long repository = api.post(base + "/repositories", "{\"name\": \"s\", \"git_url\": \"file://" + scripts
                    + "\", \"git_branch\": \"main\", \"ssh_key_id\": " + none + "}").get("id").asLong();
            long count = api.post(base + "/templates", "{\"name\": \"count\", \"app\": \"bash\", \"playbook\":"
                    + " \"count.sh\", \"repository_id\": " + repository + ", \"runner_tag\": \"far\"}").get("id").asLong();
            long task = api.post(base + "/tasks", "{\"template_id\": " + count + "}").get("id").asLong();
            awaitLine(api, base + "/tasks/" + task, "count 5");
            sh("ip", "link", "set", hostLink, "down");
            Thread.sleep(3_000);
            sh("ip", "link", "set", hostLink, "up");
            await(api, base + "/tasks/" + task, "success", 90_000);
            String output = api.get(base + "/tasks/" + task + "/output").toString();
            for (int i = 1; i <= 80; i++) {
                assertThat(output).as("line %d came through the cut", i).contains("\"count " + i + "\"");
            }

            long ticking = api.post(base + "/templates", "{\"name\": \"long\", \"app\": \"bash\", \"playbook\":"
                    + " \"long.sh\", \"repository_id\": " + repository + ", \"runner_tag\": \"far\"}").get("id").asLong();
            long longTask = api.post(base + "/tasks", "{\"template_id\": " + ticking + "}").get("id").asLong();
            awaitLine(api, base + "/tasks/" + longTask, "tick 3");
            sh("ip", "link", "set", hostLink, "down");
            JsonNode failed = await(api, base + "/tasks/" + longTask, "error", 60_000);
            sh("ip", "link", "set", hostLink, "up");
            assertThat(api.get(base + "/tasks/" + longTask + "/output").toString()).contains("far-away")
                    .contains("stopped answering");
            // Back, the runner ends the job the server no longer lists as its, and the task stays failed.
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(dir.resolve("runner.log")).contains("is no longer this runner's")
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            // Whichever comes first: its next poll, or the server refusing its next report of the task.
            assertThat(Files.readString(dir.resolve("runner.log"))).containsPattern("(task " + longTask
                    + " is|the report of task " + longTask + ": it is) no longer this runner's");
            Thread.sleep(1_000);
            assertThat(api.get(base + "/tasks/" + longTask).get("status").asText()).isEqualTo("error");
            assertThat(failed.get("end").isNull()).isFalse();
        } finally {
            if (runner != null) {
                runner.destroyForcibly();
                runner.waitFor();
            }
            server.destroy();
            server.waitFor();
        }
    }

    private static void awaitLine(JarApi api, String task, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!api.get(task + "/output").toString().contains("\"" + line + "\"") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(api.get(task + "/output").toString()).contains("\"" + line + "\"");
    }

    private static JsonNode await(JarApi api, String path, String status, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        JsonNode current = api.get(path);
        while (!current.get("status").asText().equals(status) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            current = api.get(path);
        }
        assertThat(current.get("status").asText()).as(current.toString()).isEqualTo(status);
        return current;
    }
}
