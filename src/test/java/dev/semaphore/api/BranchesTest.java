package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.SshKeyFiles;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /repositories/{id}/branches} asks the real git, with the repository's key. */
class BranchesTest {
    private static Path origin;

    @BeforeAll
    static void makeARepositoryWithBranches() throws Exception {
        origin = Files.createTempDirectory(TestDatabases.tempDir(), "origin");
        git(origin, "init", "-q", "-b", "main");
        git(origin, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "first");
        git(origin, "branch", "develop");
        git(origin, "branch", "feature/login");
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
        }
    }

    private long repository(Client admin, long project, String url, long key) {
        Response created = admin.post("/api/project/" + project + "/repositories",
                Map.of("name", TestServer.unique("r"), "git_url", url, "ssh_key_id", key));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    void branchesOfLocalAndFileRepositoriesAreListed() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Client admin = server.admin();
        long project = createProject(admin, TestServer.unique("branches"));
        long none = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
        for (String url : List.of(origin.toString(), "file://" + origin)) {
            long id = repository(admin, project, url, none);
            Response branches = admin.get("/api/project/" + project + "/repositories/" + id + "/branches");
            assertThat(branches.status()).as(branches.toString()).isEqualTo(200);
            List<String> names = new java.util.ArrayList<>();
            branches.json().forEach(b -> names.add(b.asText()));
            assertThat(names).containsExactlyInAnyOrder("main", "develop", "feature/login");
        }
    }

    @Test
    void anUnreachableRemoteIsA400WithGitsReasonAndNoSecret() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Client admin = server.admin();
        long project = createProject(admin, TestServer.unique("unreachable"));
        long key = admin.post("/api/project/" + project + "/keys", Map.of("name", "https", "type", "login_password",
                "login_password", Map.of("login", "bot", "password", "hunter2-secret"))).json().get("id").asLong();
        long id = repository(admin, project, "https://127.0.0.1:1/repo.git", key);
        Response failed = admin.get("/api/project/" + project + "/repositories/" + id + "/branches");
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.error()).contains("git ls-remote failed").doesNotContain("hunter2-secret");
    }

    @Test
    void sshKeysGoThroughAnAgentIncludingLockedOnes() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Client admin = server.admin();
        long project = createProject(admin, TestServer.unique("agent"));
        String locked = SshKeyFiles.generate("ed25519", false, "agent pass");
        long key = admin.post("/api/project/" + project + "/keys", Map.of("name", "deploy", "type", "ssh",
                "ssh", Map.of("login", "git", "passphrase", "agent pass", "private_key", locked))).json().get("id").asLong();
        long id = repository(admin, project, "ssh://git@127.0.0.1:1/repo.git", key);
        Response failed = admin.get("/api/project/" + project + "/repositories/" + id + "/branches");
        // The key was accepted by ssh-agent (else "ssh-add refused the key"); the connection itself fails.
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.error()).contains("git ls-remote failed").doesNotContain("ssh-add")
                .doesNotContain("agent pass");
    }
}
