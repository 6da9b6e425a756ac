package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.LiveSocket;
import dev.semaphore.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three server processes from the jar on one database behind a real HAProxy (Debian's), round robin and
 * no sticky sessions: a browser session works through every node, tasks started through the balancer
 * run once each, and when the node running tasks is killed outright its tasks end naming it while the
 * others' finish; browsers on every node and through the balancer follow tasks wherever they run; then
 * every node stops gracefully and starts again in turn while tasks run: each lets its tasks end, and
 * every task succeeds, none runs twice.
 */
class ClusterIT {
    @TempDir
    Path dir;

    @AfterAll
    static void dropDatabases() {
        TestDatabases.dropAll();
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void threeNodesBehindABalancerLoseNoTask(Dialect dialect) throws Exception {
        var json = TestDatabases.freshConfigJson(dialect);
        String block = dialect == Dialect.POSTGRES ? "postgres" : "mysql";
        var database = json.path(block);
        Map<String, String> shared = new HashMap<>(Map.of("SEMAPHORE_DB_DIALECT", block,
                "SEMAPHORE_DB_HOST", database.path("host").asText(), "SEMAPHORE_DB_USER", database.path("user").asText(),
                "SEMAPHORE_DB", database.path("name").asText(), "SEMAPHORE_MAX_PARALLEL_TASKS", "4",
                "SEMAPHORE_HA_DRAIN_TIMEOUT_SEC", "30"));
        assertThat(Jar.run(dir, shared, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "cluster-pass", "--admin", "--no-config").exit()).isZero();
        String token = Jar.run(dir, shared, null, "user", "token", "create", "--login", "ops", "--no-config").out()
                .trim();
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path runs = dir.resolve("runs.txt");
        Files.writeString(scripts.resolve("work.sh"), "echo \"$SEMAPHORE_TASK_ID\" >> " + runs + "\nsleep 3\necho done\n");

        List<Process> nodes = new ArrayList<>();
        int[] ports = new int[3];
        Process balancer = null;
        try {
            for (int i = 0; i < 3; i++) {
                ports[i] = JarApi.freePort();
                nodes.add(startNode(shared, ports[i], i, "first"));
            }
            for (int port : ports) {
                JarApi.waitForPing(port);
            }
            int front = JarApi.freePort();
            balancer = haproxy(front, ports);
            JarApi.waitForPing(front);

            // A session made through one node works through all (the balancer takes turns, no stickiness).
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front
                            + "/api/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"auth\": \"ops\", \"password\": \"cluster-pass\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(204);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            for (int i = 0; i < 9; i++) {
                HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front
                        + "/api/user")).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(me.statusCode()).as("request %d through the balancer", i).isEqualTo(200);
            }

            JarApi api = new JarApi(front, token);
            long project = api.post("/api/projects", "{\"name\": \"cluster\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long none = api.get(base + "/keys").get(0).get("id").asLong();
            long repository = api.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                    + "\", \"git_branch\": \"\", \"ssh_key_id\": " + none + "}").get("id").asLong();
            long template = api.post(base + "/templates", "{\"name\": \"work\", \"app\": \"bash\", \"playbook\":"
                    + " \"work.sh\", \"repository_id\": " + repository + ", \"allow_parallel_tasks\": true}")
                    .get("id").asLong();
            List<Long> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                tasks.add(api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong());
            }
            // Once some run, the node running the most is killed outright.
            long deadline = System.currentTimeMillis() + 30_000;
            JsonNode busiest = null;
            while (System.currentTimeMillis() < deadline) {
                for (JsonNode node : api.get("/api/cluster").get("nodes")) {
                    if (node.get("alive").asBoolean() && node.get("running_tasks").asLong() > 0
                            && (busiest == null || node.get("running_tasks").asLong()
                            > busiest.get("running_tasks").asLong())) {
                        busiest = node;
                    }
                }
                if (busiest != null) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(busiest).as("a node runs tasks").isNotNull();
            long victimPid = busiest.get("pid").asLong();
            Process victim = nodes.stream().filter(p -> p.pid() == victimPid).findFirst().orElseThrow();
            victim.destroyForcibly();
            victim.waitFor();

            Map<String, Integer> outcomes = new HashMap<>();
            for (long task : tasks) {
                JsonNode done = api.awaitStatus(base + "/tasks/" + task, "success", "error", "stopped");
                outcomes.merge(done.get("status").asText(), 1, Integer::sum);
                if (done.get("status").asText().equals("error")) {
                    assertThat(api.get(base + "/tasks/" + task + "/output").toString())
                            .as("a task of the killed node says which node it was")
                            .contains("(pid " + victimPid + ") stopped while this task was");
                }
            }
            System.out.println(dialect + ": 12 tasks through 3 nodes, node pid " + victimPid + " killed: " + outcomes);
            assertThat(outcomes.keySet()).as("every task finished").isSubsetOf(Set.of("success", "error"));
            assertThat(outcomes.getOrDefault("success", 0)).as("the others' tasks finished").isPositive();
            List<String> started = Files.readAllLines(runs);
            assertThat(new HashSet<>(started)).as("no task ran twice").hasSameSizeAs(started);
            assertThat(started).hasSizeLessThanOrEqualTo(tasks.size());

            // The killed node comes back. Browsers on each node and one through the balancer follow tasks that
            // run on several nodes: each sees every task's lines and end, wherever it ran.
            int victimIndex = nodes.indexOf(victim);
            nodes.set(victimIndex, startNode(shared, ports[victimIndex], victimIndex, "again"));
            JarApi.waitForPing(ports[victimIndex]);
            Map<String, LiveSocket> browsers = new java.util.LinkedHashMap<>();
            browsers.put("through the balancer", LiveSocket.open("http://127.0.0.1:" + front, token));
            for (int i = 0; i < 3; i++) {
                browsers.put("on node " + i, LiveSocket.open("http://127.0.0.1:" + ports[i], token));
            }
            List<Long> watched = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                watched.add(api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong());
            }
            Set<String> nodesRunning = new HashSet<>();
            long watchUntil = System.currentTimeMillis() + 60_000;
            while (watched.stream().anyMatch(task -> browsers.values().stream().anyMatch(b -> !b.saw(task, "success")))
                    && System.currentTimeMillis() < watchUntil) {
                for (JsonNode node : api.get("/api/cluster").get("nodes")) {
                    if (node.get("running_tasks").asLong() > 0) {
                        nodesRunning.add(node.get("id").asText());
                    }
                }
                Thread.sleep(50);
            }
            assertThat(nodesRunning).as("the watched tasks ran on several nodes").hasSizeGreaterThan(1);
            for (var browser : browsers.entrySet()) {
                for (long task : watched) {
                    assertThat(browser.getValue().lines(task)).as("task %d's lines in a browser %s", task,
                            browser.getKey()).contains("done");
                    assertThat(browser.getValue().saw(task, "success")).as("task %d's end in a browser %s", task,
                            browser.getKey()).isTrue();
                }
                browser.getValue().socket().abort();
            }

            // A rolling restart: each node in turn stops gracefully (it drains: claims nothing more, lets its
            // tasks end) and starts again while tasks run and wait. Every task succeeds, none runs twice.
            List<Long> more = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                more.add(api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong());
            }
            for (int i = 0; i < 3; i++) {
                nodes.get(i).destroy();
                nodes.get(i).waitFor();
                nodes.set(i, startNode(shared, ports[i], i, "restart"));
                JarApi.waitForPing(ports[i]);
            }
            Map<String, Integer> afterRestarts = new HashMap<>();
            for (long task : more) {
                afterRestarts.merge(api.awaitStatus(base + "/tasks/" + task, "success", "error", "stopped")
                        .get("status").asText(), 1, Integer::sum);
            }
            System.out.println(dialect + ": 12 tasks through a rolling restart of 3 nodes: " + afterRestarts);
            assertThat(afterRestarts).as("every task finished well: a stopping node let its tasks end")
                    .isEqualTo(Map.of("success", more.size()));
            List<String> all = Files.readAllLines(runs);
            assertThat(new HashSet<>(all)).as("no task ran twice").hasSameSizeAs(all);
        } finally {
            if (balancer != null) {
                balancer.destroy();
            }
            for (Process node : nodes) {
                if (node.isAlive()) {
                    node.destroy();
                    node.waitFor();
                }
            }
        }
    }

    private Process startNode(Map<String, String> shared, int port, int index, String run) throws Exception {
        Map<String, String> env = new HashMap<>(shared);
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("tmp" + index).toString());
        return Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("node" + index + "-" + run + ".log").toFile()).start();
    }

    /**
     * Debian's HAProxy in front of the nodes: round robin, health-checked on /api/ping, a request that
     * finds a node gone sent to another (as operators set it up), websockets passed.
     */
    private Process haproxy(int front, int[] ports) throws Exception {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        assertThat(Files.isExecutable(haproxy)).as("haproxy is needed (Debian package haproxy; .ci/run installs it)")
                .isTrue();
        StringBuilder config = new StringBuilder("""
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout tunnel 1h
                    retries 3
                    option redispatch
                frontend semaphore
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance roundrobin
                    option httpchk GET /api/ping
                """.formatted(front));
        for (int i = 0; i < ports.length; i++) {
            config.append("    server node").append(i).append(" 127.0.0.1:").append(ports[i])
                    .append(" check inter 500ms fall 2 rise 1\n");
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config.toString());
        return new ProcessBuilder(haproxy.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    }
}
