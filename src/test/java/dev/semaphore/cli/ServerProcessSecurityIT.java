package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a task can reach of the server process that runs it, tried against the built jar: the
 * server's environment (its keyring and admin password) through {@code /proc}, and what a server
 * killed outright ({@code kill -9}) leaves behind: task directories holding passwords and an
 * ssh-agent holding a key.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class ServerProcessSecurityIT {
    @TempDir
    Path dir;

    @Parameter
    Dialect dialect;

    @AfterAll
    static void dropDatabases() {
        TestDatabases.dropAll();
    }

    private Map<String, String> env(int port) {
        Map<String, String> env = new HashMap<>();
        if (dialect == Dialect.POSTGRES) {
            var database = TestDatabases.freshConfigJson(Dialect.POSTGRES).path("postgres");
            env.put("SEMAPHORE_DB_DIALECT", "postgres");
            env.put("SEMAPHORE_DB_HOST", database.path("host").asText());
            env.put("SEMAPHORE_DB_USER", "postgres");
            env.put("SEMAPHORE_DB", database.path("name").asText());
        } else {
            env.put("SEMAPHORE_DB_DIALECT", "sqlite");
            env.put("SEMAPHORE_DB_HOST", dir.resolve("db.sqlite").toString());
        }
        env.put("SEMAPHORE_PORT", String.valueOf(port));
        env.put("SEMAPHORE_TMP_PATH", dir.resolve("tmp").toString());
        return env;
    }

    private String adminToken(Map<String, String> env) throws Exception {
        Jar.Result added = Jar.run(dir, env, null, "user", "add", "--login", "ops", "--email", "ops@example.test",
                "--password", "pw", "--admin", "--no-config");
        assertThat(added.exit()).as(added.toString()).isZero();
        return Jar.run(dir, env, null, "user", "token", "create", "--login", "ops", "--no-config").out().trim();
    }

    private Process start(Map<String, String> env, String log) throws Exception {
        return Jar.builder(dir, env, "server", "--no-config").redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    /** A project with a local-path repository of {@code scripts}; returns the project's path and repository id. */
    private static long[] project(JarApi api, Path scripts) throws Exception {
        long project = api.post("/api/projects", "{\"name\": \"p\"}").get("id").asLong();
        String base = "/api/project/" + project;
        long none = api.get(base + "/keys").get(0).get("id").asLong();
        long repository = api.post(base + "/repositories", "{\"name\": \"r\", \"git_url\": \"" + scripts
                + "\", \"git_branch\": \"\", \"ssh_key_id\": " + none + "}").get("id").asLong();
        return new long[] {project, repository, none};
    }

    @Test
    void aTaskCannotReadTheServersSecretsFromAnyProcessEnvironment() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = env(port);
        String keyring = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        String adminPassword = "admin-pw-" + System.nanoTime();
        env.put("SEMAPHORE_ACCESS_KEY_ENCRYPTION", keyring);
        env.put("SEMAPHORE_COOKIE_HASH", Base64.getEncoder().encodeToString("cookie-hash-key-0123456789abcdef".getBytes()));
        String token = adminToken(env);
        env.put("SEMAPHORE_ADMIN", "boss");
        env.put("SEMAPHORE_ADMIN_PASSWORD", adminPassword);
        env.put("SEMAPHORE_ADMIN_EMAIL", "boss@example.test");
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        // Every ancestor's environment, and the server's own by its pid.
        Files.writeString(scripts.resolve("peek.sh"), """
                p=$PPID
                while [ "$p" -gt 1 ]; do
                  echo "environ of $p ($(cat /proc/$p/comm)):"
                  tr '\\0' '\\n' < /proc/$p/environ
                  p=$(cut -d' ' -f4 /proc/$p/stat)
                done
                echo "server environ:"
                tr '\\0' '\\n' < /proc/$1/environ
                echo "peek done"
                """);
        Process server = start(env, "server.log");
        try {
            JarApi.waitForPing(port);
            JarApi api = new JarApi(port, token);
            long[] p = project(api, scripts);
            String base = "/api/project/" + p[0];
            long template = api.post(base + "/templates", "{\"name\": \"peek\", \"app\": \"bash\", \"playbook\":"
                    + " \"peek.sh\", \"arguments\": \"[\\\"" + server.pid() + "\\\"]\", \"repository_id\": " + p[1]
                    + "}").get("id").asLong();
            long task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            JsonNode done = api.awaitStatus(base + "/tasks/" + task, "success", "error");
            assertThat(done.get("status").asText()).isEqualTo("success");
            String output = api.get(base + "/tasks/" + task + "/output").toString();
            assertThat(output).contains("peek done").contains("(setsid)").contains("SEMAPHORE_TASK_ID")
                    .doesNotContain(keyring).doesNotContain(adminPassword).doesNotContain("cookie-hash-key");
            // The server still knows its secrets: the admin it was given signs in.
            var login = api.raw("POST", "/api/auth/login",
                    "{\"auth\": \"boss\", \"password\": \"" + adminPassword + "\"}");
            assertThat(login.statusCode()).isEqualTo(204);
            assertThat(Files.readString(Path.of("/proc/" + server.pid() + "/environ")))
                    .doesNotContain(keyring).doesNotContain(adminPassword).contains("SEMAPHORE_ADMIN=");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void aServerKilledMidTaskLeavesNoPasswordFileAndNoAgentBehind() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = env(port);
        String token = adminToken(env);
        Path scripts = Files.createDirectories(dir.resolve("playbooks"));
        Path started = dir.resolve("started");
        Files.writeString(scripts.resolve("long.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: touch %s
                    - command: sleep 301
                """.formatted(started));
        Path keyFile = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keyFile.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).isTrue();
        String privateKey = Files.readString(keyFile).replace("\n", "\\n");
        String becomePassword = "become-pw-" + System.nanoTime();

        Process first = start(env, "first.log");
        long project;
        long task;
        JarApi api = new JarApi(port, token);
        try {
            JarApi.waitForPing(port);
            long[] p = project(api, scripts);
            project = p[0];
            String base = "/api/project/" + project;
            long ssh = api.post(base + "/keys", "{\"name\": \"ssh\", \"type\": \"ssh\", \"ssh\": {\"login\": \"root\","
                    + " \"private_key\": \"" + privateKey + "\"}}").get("id").asLong();
            long become = api.post(base + "/keys", "{\"name\": \"become\", \"type\": \"login_password\","
                    + " \"login_password\": {\"login\": \"root\", \"password\": \"" + becomePassword + "\"}}")
                    .get("id").asLong();
            long inventory = api.post(base + "/inventory", "{\"name\": \"here\", \"type\": \"static\", \"inventory\":"
                    + " \"localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\\n\","
                    + " \"ssh_key_id\": " + ssh + ", \"become_key_id\": " + become + "}").get("id").asLong();
            long template = api.post(base + "/templates", "{\"name\": \"long\", \"app\": \"ansible\", \"playbook\":"
                    + " \"long.yml\", \"repository_id\": " + p[1] + ", \"inventory_id\": " + inventory + "}")
                    .get("id").asLong();
            task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.exists(started) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(started).as("the playbook started").exists();
            long serverPid = first.pid();
            assertThat(ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                    .anyMatch(c -> c.contains("ssh-agent") && madeBy(c, "semaphore-ssh-", serverPid)))
                    .as("the task's ssh-agent runs").isTrue();
            try (Stream<Path> files = Files.walk(taskDirectories().get(0))) {
                assertThat(files.map(f -> f.getFileName().toString())).contains("become_password");
            }
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to clean up
            first.waitFor();
        }
        long deadPid = first.pid();
        List<Path> taskDirs = taskDirectories();
        assertThat(taskDirs).as("the dead server's task directory is still there").isNotEmpty();
        assertThat(agentsOf(deadPid)).as("agents end when the server that started them dies").isEmpty();
        // A dead server's pid may be given to another process before the next server starts: its directory
        // is still the dead one's. One of a live server's (this JVM stands for it) stays.
        Process reused = new ProcessBuilder("sleep", "60").start();
        long reusedStart = dev.semaphore.execution.ProcessStart.ticks(reused.pid()).orElseThrow();
        Path projectTmp = taskDirs.get(0).getParent();
        Files.createDirectory(projectTmp.resolve("task_98_" + reused.pid() + "." + (reusedStart - 1) + "-1"));
        long self = ProcessHandle.current().pid();
        Path ofLiveServer = Files.createDirectory(projectTmp.resolve(
                "task_99_" + self + "." + dev.semaphore.execution.ProcessStart.ticks(self).orElseThrow() + "-2"));

        Process second = start(env, "second.log");
        try {
            JarApi.waitForPing(port);
            JsonNode state = api.awaitStatus("/api/project/" + project + "/tasks/" + task, "error");
            assertThat(state.get("status").asText()).isEqualTo("error");
            assertThat(taskDirectories()).as("task directories left by the dead server, a live one's kept")
                    .containsExactly(ofLiveServer);
            Files.delete(ofLiveServer);
            try (Stream<Path> sockets = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(sockets.map(s -> s.getFileName().toString()))
                        .noneMatch(n -> madeBy(n, "semaphore-ssh-", deadPid) || madeBy(n, "semaphore-cp-", deadPid));
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (sleeping() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sleeping()).as("the playbook's command was ended").isFalse();
        } finally {
            second.destroy();
            second.waitFor();
            reused.destroy();
        }
    }

    @Test
    void aServerKilledMidTaskHasEveryProcessOfTheTaskEndedByTheNextStart() throws Exception {
        int port = JarApi.freePort();
        Map<String, String> env = env(port);
        String token = adminToken(env);
        Path scripts = Files.createDirectories(dir.resolve("stubborn"));
        String marker = "stubborn-" + System.nanoTime();
        // A child that leaves the task's session and process group, and ignores SIGTERM and SIGHUP.
        Files.writeString(scripts.resolve("stubborn.sh"), """
                setsid bash -c 'trap "" TERM HUP; while true; do sleep 0.1; done' < /dev/null > /dev/null 2>&1 &
                echo started
                while true; do sleep 0.1; done
                """);
        Process first = start(env, "first.log");
        JarApi api = new JarApi(port, token);
        String taskPath;
        try {
            JarApi.waitForPing(port);
            long[] p = project(api, scripts);
            String base = "/api/project/" + p[0];
            long group = api.post(base + "/environment", "{\"name\": \"marked\", \"json\": \"{}\", \"env\":"
                    + " \"{\\\"STUBBORN\\\": \\\"" + marker + "\\\"}\"}").get("id").asLong();
            long template = api.post(base + "/templates", "{\"name\": \"stubborn\", \"app\": \"bash\","
                    + " \"playbook\": \"stubborn.sh\", \"repository_id\": " + p[1] + ", \"environment_id\": " + group
                    + "}").get("id").asLong();
            long task = api.post(base + "/tasks", "{\"template_id\": " + template + "}").get("id").asLong();
            taskPath = base + "/tasks/" + task;
            long deadline = System.currentTimeMillis() + 60_000;
            while (marked(marker).size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(marked(marker)).as("the script and its setsid child run").hasSizeGreaterThanOrEqualTo(2);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to stop the task
            first.waitFor();
        }
        Thread.sleep(500);
        assertThat(marked(marker)).as("what the dead server left running").isNotEmpty();
        Process second = start(env, "second.log");
        try {
            JarApi.waitForPing(port);
            assertThat(api.awaitStatus(taskPath, "error").get("status").asText()).isEqualTo("error");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!marked(marker).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(marked(marker)).as("every process of the task, the setsid one too").isEmpty();
        } finally {
            second.destroy();
            second.waitFor();
            marked(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The processes whose environment holds {@code STUBBORN=<marker>}. */
    private static List<ProcessHandle> marked(String marker) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readString(Path.of("/proc/" + p.pid() + "/environ")).contains("STUBBORN=" + marker);
            } catch (Exception gone) {
                return false;
            }
        }).toList();
    }

    private List<Path> taskDirectories() throws Exception {
        Path tmp = dir.resolve("tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(tmp, 2)) {
            return all.filter(p -> p.getFileName().toString().startsWith("task_")).toList();
        }
    }

    private static List<ProcessHandle> agentsOf(long serverPid) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        List<ProcessHandle> agents;
        do {
            agents = ProcessHandle.allProcesses()
                    .filter(p -> madeBy(p.info().commandLine().orElse(""), "semaphore-ssh-", serverPid)).toList();
            if (agents.isEmpty()) {
                return agents;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        return agents;
    }

    /** Whether {@code text} names a private directory {@code prefix} made by the server process {@code pid}. */
    private static boolean madeBy(String text, String prefix, long pid) {
        return java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(prefix + pid) + "[.-]").matcher(text).find();
    }

    private static boolean sleeping() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 301"));
    }

}
