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
        Map<String, String> shared = sharedEnv(dialect);
        String token = firstAdminToken(Jar.JAR, shared);
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path runs = dir.resolve("runs.txt");
        Files.writeString(scripts.resolve("work.sh"), "echo \"$SEMAPHORE_TASK_ID\" >> " + runs + "\nsleep 3\necho done\n");

        List<Process> nodes = new ArrayList<>();
        int[] ports = new int[3];
        Process balancer = null;
        try {
            for (int i = 0; i < 3; i++) {
                ports[i] = JarApi.freePort();
                nodes.add(startNode(Jar.JAR, shared, ports[i], "node" + i + "-first"));
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
            long template = workTemplate(api, project, scripts);
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
            nodes.set(victimIndex, startNode(Jar.JAR, shared, ports[victimIndex], "node" + victimIndex + "-again"));
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
                nodes.set(i, startNode(Jar.JAR, shared, ports[i], "node" + i + "-restart"));
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

    /**
     * A rolling upgrade: two nodes of the previous version (built from git) run tasks while a node of this
     * version joins and migrates the database under them; the old nodes keep serving and running tasks on
     * the newer schema, an old node restarted then still starts, and each old node in turn gives way to
     * this version. Every task succeeds, none runs twice.
     */
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void nodesOfTwoVersionsShareTheDatabaseDuringARollingUpgrade(Dialect dialect) throws Exception {
        Path previous = PreviousVersion.jar();
        Map<String, String> shared = sharedEnv(dialect);
        String token = firstAdminToken(previous, shared);
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Path runs = dir.resolve("runs.txt");
        Files.writeString(scripts.resolve("work.sh"), "echo \"$SEMAPHORE_TASK_ID\" >> " + runs + "\nsleep 2\necho done\n");
        List<Process> nodes = new ArrayList<>();
        int[] ports = {JarApi.freePort(), JarApi.freePort(), JarApi.freePort()};
        try {
            for (int i = 0; i < 2; i++) {
                nodes.add(startNode(previous, shared, ports[i], "old" + i));
            }
            JarApi.waitForPing(ports[0]);
            JarApi.waitForPing(ports[1]);
            JarApi[] api = {new JarApi(ports[0], token), new JarApi(ports[1], token), new JarApi(ports[2], token)};
            long project = api[0].post("/api/projects", "{\"name\": \"upgrade\"}").get("id").asLong();
            String base = "/api/project/" + project;
            long template = workTemplate(api[0], project, scripts);
            String start = "{\"template_id\": " + template + "}";
            List<Long> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(api[i % 2].post(base + "/tasks", start).get("id").asLong());
            }
            // This version joins while the old nodes run those: it migrates the database under them.
            nodes.add(startNode(Jar.JAR, shared, ports[2], "new2"));
            JarApi.waitForPing(ports[2]);
            for (long task : tasks) {
                assertThat(api[2].awaitStatus(base + "/tasks/" + task, "success", "error").get("status").asText())
                        .as("a task the old nodes ran while the schema changed").isEqualTo("success");
            }
            Set<Long> oldPids = Set.of(nodes.get(0).pid(), nodes.get(1).pid());
            JsonNode mixed = api[2].get("/api/cluster").get("nodes");
            assertThat(mixed.findValuesAsText("alive")).as("both versions' nodes alive").containsExactly("true",
                    "true", "true");

            // Both versions claim and run tasks on the newer schema, and every node serves.
            List<Long> together = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                together.add(api[i % 3].post(base + "/tasks", start).get("id").asLong());
            }
            // Sampled while they run; should one version have claimed none of them, more are started
            // through a node of that version until it has (a claim goes to whoever asks first).
            Set<Long> ranOn = new HashSet<>();
            long newPid = nodes.get(2).pid();
            long until = System.currentTimeMillis() + 90_000;
            while (System.currentTimeMillis() < until) {
                for (JsonNode node : api[2].get("/api/cluster").get("nodes")) {
                    if (node.get("running_tasks").asLong() > 0) {
                        ranOn.add(node.get("pid").asLong());
                    }
                }
                boolean bothRan = ranOn.contains(newPid) && ranOn.stream().anyMatch(oldPids::contains);
                boolean allDone = together.stream().allMatch(task -> statusOf(api[2], base, task).equals("success"));
                if (allDone && bothRan) {
                    break;
                }
                if (allDone) {
                    JarApi missing = ranOn.contains(newPid) ? api[0] : api[2];
                    together.add(missing.post(base + "/tasks", start).get("id").asLong());
                }
                Thread.sleep(50);
            }
            for (long task : together) {
                assertThat(statusOf(api[2], base, task)).as("task %d beside both versions", task).isEqualTo("success");
            }
            assertThat(ranOn).as("an old node ran tasks on the newer schema").containsAnyElementsOf(oldPids);
            assertThat(ranOn).as("the new node ran tasks").contains(newPid);
            for (JarApi node : api) {
                assertThat(node.get("/api/projects").findValuesAsText("name")).contains("upgrade");
            }

            // An old process restarted now finds a schema newer than it knows, and starts.
            nodes.get(1).destroy();
            nodes.get(1).waitFor();
            nodes.set(1, startNode(previous, shared, ports[1], "old1-again"));
            JarApi.waitForPing(ports[1]);
            assertThat(api[1].get(base + "/tasks/" + tasks.get(0)).get("status").asText()).isEqualTo("success");

            // Each old node gives way to this version. The previous version ends its tasks when stopped (it
            // has no drain), so, as an operator upgrading from it would, each is stopped while the queue is empty.
            List<Long> upgrading = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nodes.get(i).destroy();
                nodes.get(i).waitFor();
                nodes.set(i, startNode(Jar.JAR, shared, ports[i], "new" + i));
                JarApi.waitForPing(ports[i]);
            }
            for (int i = 0; i < 3; i++) {
                upgrading.add(api[i].post(base + "/tasks", start).get("id").asLong());
            }
            for (long task : upgrading) {
                assertThat(api[2].awaitStatus(base + "/tasks/" + task, "success", "error").get("status")
                        .asText()).as("task %d during and after the upgrade", task).isEqualTo("success");
            }
            JsonNode upgraded = api[0].get("/api/cluster").get("nodes");
            assertThat(upgraded).hasSize(3);
            for (JsonNode node : upgraded) {
                assertThat(node.has("draining")).as("every node runs this version").isTrue();
            }
            List<String> all = Files.readAllLines(runs);
            assertThat(all).as("every task ran once").hasSize(tasks.size() + together.size() + upgrading.size());
            assertThat(new HashSet<>(all)).as("no task ran twice").hasSameSizeAs(all);
        } finally {
            for (Process node : nodes) {
                if (node.isAlive()) {
                    node.destroy();
                    node.waitFor();
                }
            }
        }
    }

    /**
     * Nodes must share one {@code access_key_encryption}: a node whose key cannot open the database's
     * secrets (here: each generated its own, in its own working directory, as on two machines) refuses
     * to start instead of sealing secrets the others cannot open; given the first node's key, it starts.
     */
    @org.junit.jupiter.api.Test
    void aNodeWithAnotherEncryptionKeyRefusesToStart() throws Exception {
        Map<String, String> shared = sharedEnv(Dialect.POSTGRES);
        Path first = Files.createDirectories(dir.resolve("machine-a"));
        Path second = Files.createDirectories(dir.resolve("machine-b"));
        int port = JarApi.freePort();
        Map<String, String> env = new HashMap<>(shared);
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        Process node = Jar.builder(first, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve("machine-a.log").toFile()).start();
        try {
            JarApi.waitForPing(port);
            Map<String, String> other = new HashMap<>(shared);
            other.put("SEMAPHORE_PORT", String.valueOf(JarApi.freePort()));
            Jar.Result refused = Jar.run(second, other, null, "server", "--no-config");
            assertThat(refused.exit()).as(refused.toString()).isNotZero();
            assertThat(refused.err()).contains("does not open the secrets of this database")
                    .contains("give every server process the same access_key_encryption");

            String key = Files.readString(first.resolve("data/access_key_encryption.key")).strip();
            other.put("SEMAPHORE_ACCESS_KEY_ENCRYPTION", key);
            int otherPort = Integer.parseInt(other.get("SEMAPHORE_PORT"));
            Process sameKey = Jar.builder(second, other, "server", "--no-config").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("machine-b.log").toFile()).start();
            try {
                JarApi.waitForPing(otherPort);
            } finally {
                sameKey.destroy();
                sameKey.waitFor();
            }
        } finally {
            node.destroy();
            node.waitFor();
        }
    }

    private static String statusOf(JarApi api, String base, long task) {
        try {
            return api.get(base + "/tasks/" + task).get("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings every node shares: the database, a cluster-wide limit of 4 tasks, a 30 s drain. */
    private static Map<String, String> sharedEnv(Dialect dialect) {
        var json = TestDatabases.freshConfigJson(dialect);
        String block = dialect == Dialect.POSTGRES ? "postgres" : "mysql";
        var database = json.path(block);
        return new HashMap<>(Map.of("SEMAPHORE_DB_DIALECT", block,
                "SEMAPHORE_DB_HOST", database.path("host").asText(), "SEMAPHORE_DB_USER", database.path("user").asText(),
                "SEMAPHORE_DB", database.path("name").asText(), "SEMAPHORE_MAX_PARALLEL_TASKS", "4",
                "SEMAPHORE_HA_DRAIN_TIMEOUT_SEC", "30"));
    }

    /** Makes the database and its first admin with that version's CLI; answers an API token of theirs. */
    private String firstAdminToken(Path jar, Map<String, String> shared) throws Exception {
        assertThat(Jar.run(jar, dir, shared, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "cluster-pass", "--admin", "--no-config").exit()).isZero();
        return Jar.run(jar, dir, shared, null, "user", "token", "create", "--login", "ops", "--no-config").out().trim();
    }

    /** A bash template running {@code work.sh} of that folder, in a new project; answers its id. */
    private static long workTemplate(JarApi api, long project, Path scripts) throws Exception {
        String base = "/api/project/" + project;
        long none = api.get(base + "/keys").get(0).get("id").asLong();
        long repository = api.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                + "\", \"git_branch\": \"\", \"ssh_key_id\": " + none + "}").get("id").asLong();
        return api.post(base + "/templates", "{\"name\": \"work\", \"app\": \"bash\", \"playbook\":"
                + " \"work.sh\", \"repository_id\": " + repository + ", \"allow_parallel_tasks\": true}")
                .get("id").asLong();
    }

    private Process startNode(Path jar, Map<String, String> shared, int port, String name) throws Exception {
        Map<String, String> env = new HashMap<>(shared);
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("tmp-" + port).toString());
        return Jar.builder(jar, dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    /**
     * Debian's HAProxy in front of the nodes: round robin, health-checked on /api/health/ready, a request that
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
                    option httpchk GET /api/health/ready
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
