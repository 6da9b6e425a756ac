package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes from the built jar on one PostgreSQL database: a task one of them runs
 * survives the other's start, a stop sent through one reaches a task the other runs, and when the
 * process running a task is killed outright the other one fails the task and ends what it left.
 */
class TwoServersIT {
    @TempDir
    Path dir;

    @AfterAll
    static void dropDatabases() {
        TestDatabases.dropAll();
    }

    @Test
    void eachProcessKeepsItsTasksAndStopsReachTheProcessRunningThem() throws Exception {
        var database = TestDatabases.freshConfigJson(Dialect.POSTGRES).path("postgres");
        String jdbc = "jdbc:postgresql://" + database.path("host").asText() + "/" + database.path("name").asText();
        Map<String, String> shared = new HashMap<>(Map.of("SEMAPHORE_DB_DIALECT", "postgres",
                "SEMAPHORE_DB_HOST", database.path("host").asText(), "SEMAPHORE_DB_USER", "postgres",
                "SEMAPHORE_DB", database.path("name").asText(), "SEMAPHORE_TMP_PATH", dir.resolve("tmp").toString()));
        assertThat(Jar.run(dir, shared, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "pw", "--admin", "--no-config").exit()).isZero();
        String token = Jar.run(dir, shared, null, "user", "token", "create", "--login", "ops", "--no-config").out()
                .trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("long.sh"), "echo started\nsleep 302 &\nwait\n");

        int portA = JarApi.freePort();
        int portB = JarApi.freePort();
        Process a = start(shared, portA, "a.log");
        Process b = null;
        try {
            JarApi.waitForPing(portA);
            JarApi viaA = new JarApi(portA, token);
            long project = viaA.post("/api/projects", "{\"name\": \"two\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long none = viaA.get(base + "/keys").get(0).get("id").asLong();
            long repository = viaA.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                    + "\", \"git_branch\": \"\", \"ssh_key_id\": " + none + "}").get("id").asLong();
            long template = viaA.post(base + "/templates", "{\"name\": \"long\", \"app\": \"bash\", \"playbook\":"
                    + " \"long.sh\", \"repository_id\": " + repository + ", \"allow_parallel_tasks\": true}")
                    .get("id").asLong();
            long first = viaA.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            viaA.awaitStatus(base + "/tasks/" + first, "running");

            // B starts on the same database: A's running task is A's, and stays running.
            b = start(shared, portB, "b.log");
            JarApi.waitForPing(portB);
            JarApi viaB = new JarApi(portB, token);
            Thread.sleep(1_500);
            assertThat(viaB.get(base + "/tasks/" + first).get("status").asText()).isEqualTo("running");
            assertThat(owner(jdbc, first)).isEqualTo(a.pid());
            assertThat(sleeping()).isTrue();

            // Each process sees both in the cluster view, with the task counted on A.
            JsonNode cluster = viaB.get("/api/cluster");
            assertThat(cluster.get("ha_enabled").asBoolean()).isTrue();
            assertThat(cluster.get("nodes")).hasSize(2);
            for (JsonNode node : cluster.get("nodes")) {
                boolean isA = node.get("pid").asLong() == a.pid();
                assertThat(node.get("alive").asBoolean()).isTrue();
                assertThat(node.get("version").asText()).isNotEmpty();
                assertThat(node.get("address").asText()).endsWith(":" + (isA ? portA : portB));
                assertThat(node.get("running_tasks").asLong()).isEqualTo(isA ? 1 : 0);
                assertThat(node.get("this").asBoolean()).isEqualTo(!isA);
                assertThat(node.get("system_load").isNumber()).as("the machine's load: %s", node).isTrue();
                assertThat(node.get("draining").asBoolean()).isFalse();
            }

            // A stop taken by B reaches the task A runs.
            long asked = System.nanoTime();
            assertThat(viaB.raw("POST", base + "/tasks/" + first + "/stop", "{}").statusCode()).isEqualTo(204);
            while (sleeping() && System.nanoTime() - asked < 10_000_000_000L) {
                Thread.sleep(10);
            }
            long millis = (System.nanoTime() - asked) / 1_000_000;
            System.out.println("stop through the other process ended the task's process in " + millis + " ms");
            assertThat(sleeping()).as("the task's process ended").isFalse();
            assertThat(viaB.awaitStatus(base + "/tasks/" + first, "stopped").get("status").asText())
                    .isEqualTo("stopped");

            // The process running a task is killed outright: the other one fails the task and ends its process.
            long second = viaB.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            viaB.awaitStatus(base + "/tasks/" + second, "running");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!sleeping() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            long ownerPid = owner(jdbc, second);
            Process victim = ownerPid == a.pid() ? a : b;
            JarApi survivor = victim == a ? viaB : viaA;
            victim.destroyForcibly();
            victim.waitFor();
            JsonNode failed = survivor.awaitStatus(base + "/tasks/" + second, "error");
            assertThat(failed.get("status").asText()).isEqualTo("error");
            assertThat(survivor.get("/api/cluster").get("nodes").findValuesAsText("alive"))
                    .as("the killed process is shown dead until it is forgotten").contains("false", "true");
            deadline = System.currentTimeMillis() + 10_000;
            while (sleeping() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sleeping()).as("the dead process's task process was ended").isFalse();
        } finally {
            for (Process p : new Process[] {a, b}) {
                if (p != null && p.isAlive()) {
                    p.destroy();
                    p.waitFor();
                }
            }
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 302"))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * A process cut from the database longer than its lease while it runs a task: the other takes it for dead
     * and fails the task. Here the cut one runs in a pid namespace of its own, as on another machine, so the
     * other cannot end the task's processes: the cut one must, as soon as the database answers it again, and
     * must leave the task's end as the other recorded it (the task runs nowhere twice, nor on after it ended).
     */
    @Test
    void aProcessCutOffPastItsLeaseEndsTheTaskAnotherTookOverOnceItIsBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc",
                "--kill-child", "true").start().waitFor() == 0, "unshare --pid needs root: this test stands for two machines");
        var database = TestDatabases.freshConfigJson(Dialect.POSTGRES).path("postgres");
        String host = database.path("host").asText();
        try (dev.semaphore.testing.TcpProxy proxy = new dev.semaphore.testing.TcpProxy(host)) {
            Map<String, String> shared = new HashMap<>(Map.of("SEMAPHORE_DB_DIALECT", "postgres",
                    "SEMAPHORE_DB_HOST", host, "SEMAPHORE_DB_USER", "postgres", "SEMAPHORE_DB",
                    database.path("name").asText(), "SEMAPHORE_TMP_PATH", dir.resolve("tmp").toString(),
                    "SEMAPHORE_HA_NODE_TIMEOUT_SEC", "3"));
            assertThat(Jar.run(dir, shared, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                    "--password", "pw", "--admin", "--no-config").exit()).isZero();
            String token = Jar.run(dir, shared, null, "user", "token", "create", "--login", "ops", "--no-config")
                    .out().trim();
            Path scripts = Files.createDirectories(dir.resolve("scripts"));
            Path ticks = dir.resolve("ticks");
            Files.writeString(scripts.resolve("ticking.sh"),
                    "for i in $(seq 1 300); do echo tick >> " + ticks + "; echo \"tick $i\"; sleep 0.2; done\n");

            int portA = JarApi.freePort();
            int portB = JarApi.freePort();
            Map<String, String> viaProxy = new HashMap<>(shared);
            viaProxy.put("SEMAPHORE_DB_HOST", proxy.address());
            viaProxy.put("SEMAPHORE_PORT", String.valueOf(portA));
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("unshare", "--pid", "--fork",
                    "--mount-proc", "--kill-child"));
            command.addAll(Jar.builder(dir, viaProxy, "server", "--no-config").command());
            ProcessBuilder elsewhere = Jar.builder(dir, viaProxy, "server", "--no-config").command(command)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("a.log").toFile());
            Process a = elsewhere.start();
            Process b = null;
            try {
                JarApi.waitForPing(portA);
                JarApi viaA = new JarApi(portA, token);
                long project = viaA.post("/api/projects", "{\"name\": \"cut\"}").get("id").asLong();
                String base = "/api/project/" + project;
                long none = viaA.get(base + "/keys").get(0).get("id").asLong();
                long repository = viaA.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                        + "\", \"git_branch\": \"\", \"ssh_key_id\": " + none + "}").get("id").asLong();
                long template = viaA.post(base + "/templates", "{\"name\": \"ticking\", \"app\": \"bash\","
                        + " \"playbook\": \"ticking.sh\", \"repository_id\": " + repository + "}").get("id").asLong();
                long task = viaA.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
                viaA.awaitStatus(base + "/tasks/" + task, "running");
                b = start(shared, portB, "b.log");
                JarApi.waitForPing(portB);
                JarApi viaB = new JarApi(portB, token);

                proxy.cut();
                JsonNode failed = viaB.awaitStatus(base + "/tasks/" + task, "error");
                assertThat(failed.get("status").asText()).isEqualTo("error");
                int before = Files.readAllLines(ticks).size();
                Thread.sleep(1_000);
                assertThat(Files.readAllLines(ticks).size()).as("on the other machine the task runs on meanwhile")
                        .isGreaterThan(before);

                proxy.restore();
                long back = System.currentTimeMillis();
                int seen = -1;
                int now = Files.readAllLines(ticks).size();
                while (now != seen && System.currentTimeMillis() < back + 20_000) {
                    seen = now;
                    Thread.sleep(1_000);
                    now = Files.readAllLines(ticks).size();
                }
                assertThat(now).as("the cut-off process ended the task's run once it was back").isEqualTo(seen);
                assertThat(now).as("well before the script's end").isLessThan(250);
                System.out.println("the run was ended " + (System.currentTimeMillis() - back - 1_000)
                        + " ms after the database answered again (at most)");
                JsonNode after = viaB.get(base + "/tasks/" + task);
                assertThat(after.get("status").asText()).as("the end stays as the other recorded it").isEqualTo("error");
                java.util.List<String> lines = new java.util.ArrayList<>();
                viaB.get(base + "/tasks/" + task + "/output").forEach(l -> lines.add(l.get("output").asText()));
                assertThat(lines).anyMatch(l -> l.contains("stopped while this task was running"))
                        .anyMatch(l -> l.contains("another server took it for stopped meanwhile"));
            } finally {
                // unshare --fork ignores SIGTERM while it waits: the server in the namespace is asked to stop.
                a.descendants().forEach(ProcessHandle::destroy);
                for (Process p : new Process[] {a, b}) {
                    if (p != null && p.isAlive()) {
                        p.destroy();
                        p.waitFor();
                    }
                }
            }
        }
    }

    private Process start(Map<String, String> shared, int port, String log) throws Exception {
        Map<String, String> env = new HashMap<>(shared);
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        return Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    /** The pid of the server process that runs the task, as the task row and the process register say. */
    private static long owner(String jdbc, long task) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement q = c.prepareStatement(
                     "SELECT p.pid FROM tasks t JOIN server_processes p ON p.id = t.owner WHERE t.id = ?")) {
            q.setLong(1, task);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as("task " + task + " has a live owner").isTrue();
                return rs.getLong(1);
            }
        }
    }

    private static boolean sleeping() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 302"));
    }

}
