package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.GitRepos;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.SshServer;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upstream 2.19's credential mappings (host configs): a repository whose submodule lives on a private SSH git host
 * (a real sshd that lets in one key) clones with the mapping's key, by host and by URL prefix, and not without.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class HostConfigsTest {
    private static SshServer gitHost;
    private static Path main;
    private static String subUrl;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void repositories() throws Exception {
        gitHost = SshServer.start();
        Path root = Files.createTempDirectory(TestDatabases.tempDir(), "mapped");
        Path sub = Files.createDirectories(root.resolve("sub-work"));
        Files.writeString(sub.resolve("secret-role.txt"), "from the private host\n");
        GitRepos.commitAll(sub);
        Process bare = new ProcessBuilder("git", "clone", "-q", "--bare", sub.toString(), root.resolve("sub.git").toString())
                .redirectErrorStream(true).start();
        assertThat(bare.waitFor()).isZero();
        subUrl = "ssh://" + SshServer.user() + "@127.0.0.1:" + gitHost.port() + root.resolve("sub.git");
        main = Files.createDirectories(root.resolve("main"));
        Files.writeString(main.resolve("show.sh"), "cat vendor/secret-role.txt\n");
        GitRepos.commitAll(main);
        // the submodule's URL is on the private host; git adds it without fetching when told to by a local path
        GitRepos.git(main, "-c", "protocol.file.allow=always", "submodule", "add", "-q", root.resolve("sub.git").toString(),
                "vendor");
        GitRepos.git(main, "config", "-f", ".gitmodules", "submodule.vendor.url", subUrl);
        GitRepos.git(main, "add", ".gitmodules");
        GitRepos.git(main, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "vendor");
    }

    @AfterAll
    static void stop() {
        gitHost.close();
    }

    @Test
    void aSubmoduleOnAPrivateHostClonesWithTheMappingsKey() throws Exception {
        ProjectFixture p = ProjectFixture.create(TestServers.of(dialect), "mappings");
        long key = p.create("/keys", Map.of("name", "git host", "type", "ssh", "ssh",
                Map.of("login", SshServer.user(), "private_key", gitHost.privateKey())));
        long login = p.create("/keys", Map.of("name", "https login", "type", "login_password",
                "login_password", Map.of("login", "bot", "password", "https-pw-77")));
        long repository = p.create("/repositories", Map.of("name", "main", "git_url", "file://" + main,
                "ssh_key_id", p.noneKey()));
        long template = p.create("/templates", Map.of("name", "show", "app", "bash", "playbook", "show.sh",
                "repository_id", repository, "allow_parallel_tasks", true));

        long without = p.run(template, Map.of()).get("id").asLong();
        assertThat(p.await(without, 60_000, "success", "error").get("status").asText()).as("no mapping, no key")
                .isEqualTo("error");

        Response byHost = p.admin().post(p.path("/host_configs"), Map.of("project_id", p.project(), "type", "host",
                "host", "127.0.0.1", "ssh_key_id", key));
        assertThat(byHost.status()).as(byHost.toString()).isEqualTo(201);
        long viaHost = p.run(template, Map.of()).get("id").asLong();
        assertThat(p.await(viaHost, 60_000, "success", "error").get("status").asText()).as(p.plainOutput(viaHost))
                .isEqualTo("success");
        assertThat(p.plainOutput(viaHost)).contains("from the private host");

        assertThat(p.admin().delete(p.path("/host_configs/" + byHost.json().get("id").asLong())).status()).isEqualTo(204);
        String prefix = subUrl.substring(0, subUrl.lastIndexOf('/') + 1);
        Response byUrl = p.admin().post(p.path("/host_configs"), Map.of("project_id", p.project(), "type", "url",
                "host", prefix, "ssh_key_id", key));
        assertThat(byUrl.status()).as(byUrl.toString()).isEqualTo(201);
        long viaUrl = p.run(template, Map.of()).get("id").asLong();
        assertThat(p.await(viaUrl, 60_000, "success", "error").get("status").asText()).as(p.plainOutput(viaUrl))
                .isEqualTo("success");

        // What a mapping takes, as upstream says it.
        assertThat(p.admin().get(p.path("/host_configs")).json()).hasSize(1);
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "host", "host", "github.com",
                "ssh_key_id", login)).error()).contains("SSH key");
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "url", "host", "git@github.com:org/",
                "ssh_key_id", login)).error()).contains("https://");
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "url", "host", "https://git.example.test/org/",
                "ssh_key_id", login)).status()).isEqualTo(201);
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "host", "host", "-oProxyCommand=x",
                "ssh_key_id", key)).error()).contains("host");
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "url", "host",
                "https://bot:pw@git.example.test/", "ssh_key_id", login)).error()).contains("login or password");
        assertThat(p.admin().post(p.path("/host_configs"), Map.of("type", "proxy", "host", "x",
                "ssh_key_id", key)).error()).contains("type");
        assertThat(p.admin().delete(p.path("/keys/" + key)).status()).as("a key a mapping uses stays").isIn(400, 409);
        assertThat(p.plainOutput(viaUrl)).doesNotContain("https-pw-77");
    }
}
