package dev.semaphore.api;

import static dev.semaphore.testing.GitRepos.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.SshServer;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code process.user}: tasks run as an unprivileged system user (made here as an operator would,
 * with a home for ansible's local temporary files) that can read neither the server's database nor
 * its config, finds no other task's folder or process, and still clones over SSH and runs a playbook
 * against an SSH host with the keys it is given. Switching users needs root, as CI runs; elsewhere
 * these tests are skipped, saying why.
 */
class TaskIsolationTest {
    private static final String TASK_USER = "semaphore-tasks";
    private static int taskUid;
    private static Path base;
    private static Path configFile;
    private static Config config;
    private static TestServer server;

    @BeforeAll
    static void serverRunningTasksAsNobody() throws Exception {
        assumeTrue(ownUid() == 0, "switching to another user needs a server running as root (CI runs as root)");
        taskUid = taskUser();
        base = Files.createTempDirectory(TestDatabases.tempDir(), "isolation");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("tmp_path", base.resolve("tmp").toString());
        json.putObject("process").put("user", TASK_USER).put("no_new_privs", true);
        configFile = base.resolve("config.json");
        Files.writeString(configFile, json.toString());
        Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
        config = new ConfigLoader(Map.of()).load(configFile, false);
        server = new TestServer(Dialect.SQLITE, config);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTaskReachesNothingOfTheServerNorOfAnotherTask() throws Exception {
        Path repo = base.resolve("scripts");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("holder.sh"), """
                echo "the secret of the first task" > "$HOME/secret-of-a"
                echo "in the first task's home" > "$(getent passwd "$(id -un)" | cut -d: -f6)/left-at-home"
                echo holding
                exec sleep 60
                """);
        ProjectFixture p = ProjectFixture.create(server, "Isolation");
        Path tmp = Path.of(config.string(ConfigKeys.TMP_PATH));
        Path projectDir = tmp.resolve("project_" + p.project());
        Files.writeString(repo.resolve("probe.sh"), String.join("\n",
                "echo \"uid=$(id -u)\"",
                attempt("cat " + quoted(config.string(ConfigKeys.DB_HOST)), "read the database", "database refused"),
                attempt("cat " + quoted(configFile.toString()), "read the config", "config refused"),
                attempt("ls " + quoted(tmp.toString()), "listed the task folders", "task folders unlisted"),
                attempt("ls " + quoted(projectDir.toString()), "listed the project's tasks", "project unlisted"),
                attempt("cat " + quoted(projectDir.toString()) + "/task_*/secret-of-a",
                        "read the other task's file", "other task out of reach"),
                attempt("pgrep -f 'sleep 60'", "saw the other task's process", "other process unseen"),
                attempt("cat ~" + TASK_USER + "/left-at-home", "read the other task's home",
                        "the user's home is the task's own"),
                attempt("grep -rs 'the secret of the first task' /proc/[0-9]*/cwd/secret-of-a",
                        "found the other task through /proc", "nothing through /proc"),
                "awk '/NoNewPrivs/ {print \"no_new_privs=\" $2}' /proc/self/status",
                "echo mine > \"$HOME/own-file\" && echo \"own folder writable\"",
                ""));
        for (Path script : List.of(repo.resolve("holder.sh"), repo.resolve("probe.sh"))) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(repo, PosixFilePermissions.fromString("rwxr-xr-x"));
        long holderTemplate = p.bashTemplate(repo, "holder.sh", Map.of());
        long probeTemplate = p.create("/templates", Map.of("name", "probe", "app", "bash", "playbook", "probe.sh",
                "repository_id", p.admin().get(p.path("/templates/" + holderTemplate)).json()
                        .get("repository_id").asLong()));

        long holder = p.run(holderTemplate, Map.of()).get("id").asLong();
        awaitLine(p, holder, "holding");
        Path holderDir;
        try (Stream<Path> dirs = Files.list(projectDir)) {
            holderDir = dirs.filter(d -> d.getFileName().toString().startsWith("task_" + holder + "_")).findFirst()
                    .orElseThrow();
        }
        assertThat(Files.readString(holderDir.resolve("secret-of-a"))).contains("the secret of the first task");
        assertThat(holderDir.resolve("left-at-home")).as("what a task leaves in ~user stays in its folder").exists();
        assertThat(Path.of("/var/lib/" + TASK_USER, "left-at-home")).doesNotExist();
        assertThat(Files.getAttribute(holderDir, "unix:uid")).as("the task's folder is the task user's")
                .isEqualTo(taskUid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(holderDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(projectDir))).isEqualTo("rwx--x--x");

        long probe = p.run(probeTemplate, Map.of()).get("id").asLong();
        JsonNode done = p.await(probe, "success", "error");
        String output = p.plainOutput(probe);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("uid=" + taskUid, "database refused", "config refused", "task folders unlisted",
                "project unlisted", "other task out of reach", "other process unseen", "nothing through /proc",
                "the user's home is the task's own",
                "no_new_privs=1", "own folder writable");
        assertThat(output).doesNotContain("read the", "listed the", "saw the", "found the");

        assertThat(p.admin().post(p.path("/tasks/" + holder + "/stop"), Map.of()).status()).isEqualTo(204);
        p.await(holder, "stopped");
        assertThat(holderDir).as("the task's folder goes with it").doesNotExist();
    }

    @Test
    void aPlaybookFromAnSshRepositoryRunsAsTheTaskUserWithItsKeys() throws Exception {
        try (SshServer gitHost = SshServer.start(); SshServer managedHost = SshServer.start()) {
            Path src = Files.createTempDirectory(base, "playbooks");
            Files.writeString(src.resolve("site.yml"), """
                    - hosts: all
                      gather_facts: false
                      tasks:
                        - command: id -u
                          register: who
                          delegate_to: local
                          run_once: true
                        - debug: msg="local uid={{ who.stdout }}"
                          run_once: true
                        - ping:
                    """);
            git(src, "init", "-q", "-b", "main");
            git(src, "add", ".");
            git(src, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "isolated playbook");
            Path bare = base.resolve(src.getFileName() + ".git");
            git(base, "clone", "-q", "--bare", src.toString(), bare.toString());

            ProjectFixture p = ProjectFixture.create(server, "IsolatedAnsible");
            long gitKey = p.create("/keys", Map.of("name", "git host", "type", "ssh",
                    "ssh", Map.of("login", "", "private_key", gitHost.privateKey())));
            long hostKey = p.create("/keys", Map.of("name", "managed host", "type", "ssh",
                    "ssh", Map.of("login", SshServer.user(), "private_key", managedHost.privateKey())));
            long repository = p.create("/repositories", Map.of("name", "playbooks", "git_branch", "main",
                    "git_url", "ssh://" + SshServer.user() + "@127.0.0.1:" + gitHost.port() + bare,
                    "ssh_key_id", gitKey));
            long inventory = p.create("/inventory", Map.of("name", "hosts", "type", "static", "ssh_key_id", hostKey,
                    "inventory", """
                            local ansible_connection=local ansible_python_interpreter=/usr/bin/python3
                            remote ansible_host=127.0.0.1 ansible_port=%d ansible_python_interpreter=/usr/bin/python3
                            """.formatted(managedHost.port())));
            long environment = p.create("/environment", Map.of("name", "none", "json", "{}", "env", "{}"));
            long template = p.create("/templates", Map.of("name", "site", "app", "ansible", "playbook", "site.yml",
                    "repository_id", repository, "inventory_id", inventory, "environment_id", environment));

            long task = p.run(template, Map.of()).get("id").asLong();
            JsonNode done = p.await(task, 120_000, "success", "error");
            String output = p.plainOutput(task);
            assertThat(done.get("status").asText()).as(output).isEqualTo("success");
            assertThat(output).contains("local uid=" + taskUid).containsPattern("remote\\s+: ok=\\d+ ");
            assertThat(done.get("commit_message").asText()).as("the commit is read from the task user's checkout")
                    .isEqualTo("isolated playbook");
        }
    }

    @Test
    void aRepositoryOfAnotherUserOnThisMachineIsClonedForThatTaskOnly() throws Exception {
        Path repo = base.resolve("owned-by-root");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("run.sh"), """
                echo "cloned as $(id -un)"
                git config --global --get-all safe.directory || echo "no global safe.directory"
                """);
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "script");
        try (Stream<Path> all = Files.walk(repo)) {
            for (Path path : all.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path)
                        ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertThat(Files.getAttribute(repo, "unix:uid")).as("the repository is root's, not the task user's")
                .isEqualTo(0);
        ProjectFixture p = ProjectFixture.create(server, "Local");
        long repository = p.create("/repositories", Map.of("name", "local", "git_url", "file://" + repo,
                "git_branch", "main", "ssh_key_id", p.noneKey()));
        long template = p.create("/templates", Map.of("name", "run", "app", "bash", "playbook", "run.sh",
                "repository_id", repository));
        long task = p.run(template, Map.of()).get("id").asLong();
        JsonNode done = p.await(task, 60_000, "success", "error");
        String output = p.plainOutput(task);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("cloned as " + TASK_USER).contains("no global safe.directory")
                .doesNotContain("dubious ownership");
    }

    @Test
    void aConfigFileTheTaskUserCouldReadStopsTheStart() throws Exception {
        Path readable = base.resolve("readable-config.json");
        ObjectNode json = (ObjectNode) Json.tree(Files.readString(configFile));
        Files.writeString(readable, json.toString());
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        Config open = new ConfigLoader(Map.of()).load(readable, false);
        assertThatThrownBy(() -> new TestServer(Dialect.SQLITE, open).close())
                .hasMessageContaining(readable + " can be read by the task user")
                .hasMessageContaining("chmod 600");

        Path unknownUser = base.resolve("unknown-user.json");
        json.putObject("process").put("user", "no-such-user-here");
        Files.writeString(unknownUser, json.toString());
        Files.setPosixFilePermissions(unknownUser, PosixFilePermissions.fromString("rw-------"));
        Config unknown = new ConfigLoader(Map.of()).load(unknownUser, false);
        assertThatThrownBy(() -> new TestServer(Dialect.SQLITE, unknown).close())
                .hasMessageContaining("process.user: there is no user named no-such-user-here");
    }

    private static String attempt(String command, String succeeded, String refused) {
        return command + " >/dev/null 2>&1 && echo " + quoted(succeeded) + " || echo " + quoted(refused);
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static void awaitLine(ProjectFixture p, long task, String line) throws InterruptedException {
        for (int i = 0; i < 300 && !p.output(task).contains(line); i++) {
            Thread.sleep(100);
        }
        assertThat(p.output(task)).contains(line);
    }

    /** The task user's uid, the user made first when this machine has none. */
    private static int taskUser() throws Exception {
        if (run("getent", "passwd", TASK_USER).isEmpty()) {
            run("useradd", "--system", "--create-home", "--home-dir", "/var/lib/" + TASK_USER,
                    "--shell", "/usr/sbin/nologin", TASK_USER);
        }
        return Integer.parseInt(run("id", "-u", TASK_USER).strip());
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return process.exitValue() == 0 ? out : "";
    }

    private static int ownUid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
