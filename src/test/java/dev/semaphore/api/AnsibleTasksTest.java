package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.SshServer;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ansible end to end with real tools: the playbooks live in a git repository served over SSH by a
 * local sshd (the repository's key reaches git through an ssh-agent), and run against localhost and
 * against a second sshd standing for a managed host (the inventory's key). The database does not
 * matter to what is tested here, so these run on SQLite only; the queue is tested on all three.
 */
class AnsibleTasksTest {
    private static final String VAULT_PASSWORD = "vault-pass-8812";
    private static SshServer gitHost;
    private static SshServer managedHost;
    private static String repositoryUrl;

    @BeforeAll
    static void hostsAndRepository() throws Exception {
        gitHost = SshServer.start();
        managedHost = SshServer.start();
        Path work = Files.createTempDirectory(TestDatabases.tempDir(), "playbooks");
        Path role = work.resolve("role");
        Files.createDirectories(role.resolve("tasks"));
        Files.createDirectories(role.resolve("meta"));
        Files.writeString(role.resolve("tasks/main.yml"), "- debug: msg=\"hello from the galaxy role\"\n");
        Files.writeString(role.resolve("meta/main.yml"), """
                galaxy_info: {author: t, description: t, license: MIT, min_ansible_version: '2.9', platforms: []}
                dependencies: []
                """);
        git(role, "init", "-q", "-b", "main");
        git(role, "add", ".");
        git(role, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "role");

        Path src = work.resolve("src");
        Files.createDirectories(src.resolve("roles"));
        Files.writeString(src.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: greet
                      debug: msg="greeting={{ greeting }} token={{ api_token }} task={{ semaphore_vars.task_details.id }}"
                      tags: [first]
                    - name: reach the host
                      ping:
                      tags: [first]
                    - name: modes
                      debug: msg="check={{ ansible_check_mode }} diff={{ ansible_diff_mode }}"
                      tags: [second]
                """);
        Files.writeString(src.resolve("fail.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - fail: msg="deliberate failure"
                """);
        Files.writeString(src.resolve("vault.yml"), """
                - hosts: local
                  gather_facts: false
                  vars_files: [vaulted.yml]
                  tasks:
                    - debug: msg="vaulted={{ vaulted }}"
                """);
        Path passwordFile = work.resolve("vault-password");
        Files.writeString(passwordFile, VAULT_PASSWORD + "\n");
        Process encrypt = new ProcessBuilder("ansible-vault", "encrypt_string", "--vault-password-file",
                passwordFile.toString(), "--name", "vaulted", "the vaulted plaintext").start();
        String encrypted = new String(encrypt.getInputStream().readAllBytes());
        assertThat(encrypt.waitFor(60, TimeUnit.SECONDS) && encrypt.exitValue() == 0).as(encrypted).isTrue();
        Files.writeString(src.resolve("vaulted.yml"), encrypted + "\n");
        Files.writeString(src.resolve("galaxy.yml"), """
                - hosts: local
                  gather_facts: false
                  roles: [greet]
                """);
        Files.writeString(src.resolve("roles/requirements.yml"),
                "- src: git+file://" + role + "\n  name: greet\n");
        git(src, "init", "-q", "-b", "main");
        git(src, "add", ".");
        git(src, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "playbooks for tests");
        Path bare = work.resolve("playbooks.git");
        git(work, "clone", "-q", "--bare", src.toString(), bare.toString());
        repositoryUrl = "ssh://" + SshServer.user() + "@127.0.0.1:" + gitHost.port() + bare;
    }

    private record Setup(ProjectFixture p, long repository, long inventory, long environment) {
        long template(String name, String playbook, Map<String, Object> extra) {
            Map<String, Object> body = new HashMap<>(Map.of("name", name, "app", "ansible", "playbook", playbook,
                    "repository_id", repository, "inventory_id", inventory, "environment_id", environment));
            body.putAll(extra);
            return p.create("/templates", body);
        }
    }

    private static Setup setup() {
        ProjectFixture p = ProjectFixture.create(TestServers.of(Dialect.SQLITE), "ansible");
        long gitKey = p.create("/keys", Map.of("name", "git host", "type", "ssh",
                "ssh", Map.of("login", "", "private_key", gitHost.privateKey())));
        long hostKey = p.create("/keys", Map.of("name", "managed host", "type", "ssh",
                "ssh", Map.of("login", SshServer.user(), "private_key", managedHost.privateKey())));
        long repository = p.create("/repositories", Map.of("name", "playbooks", "git_url", repositoryUrl,
                "git_branch", "main", "ssh_key_id", gitKey));
        long inventory = p.create("/inventory", Map.of("name", "two hosts", "type", "static", "ssh_key_id", hostKey,
                "inventory", """
                        local ansible_connection=local ansible_python_interpreter=/usr/bin/python3
                        remote ansible_host=127.0.0.1 ansible_port=%d ansible_python_interpreter=/usr/bin/python3
                        """.formatted(managedHost.port())));
        long environment = p.create("/environment", Map.of("name", "vars", "json", "{\"greeting\": \"hi there\"}",
                "env", "{}", "secrets", List.of(Map.of("name", "api_token", "type", "var",
                        "secret", "tok-ansible-secret-7"))));
        return new Setup(p, repository, inventory, environment);
    }

    @Test
    void aPlaybookFromAnSshRepositoryRunsOnLocalhostAndOnAnSshHost() throws Exception {
        Setup s = setup();
        long template = s.template("site", "site.yml", Map.of());
        long id = s.p().run(template, Map.of()).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(done.get("commit_message").asText()).isEqualTo("playbooks for tests");
        assertThat(done.get("commit_hash").asText()).hasSize(40);
        assertThat(output).contains("PLAY RECAP")
                .containsPattern("local\\s+: ok=3 ")
                .containsPattern("remote\\s+: ok=3 ")
                .contains("greeting=hi there token=*** task=" + id)
                .contains("check=False diff=False")
                .doesNotContain("tok-ansible-secret-7");

        JsonNode stages = s.p().admin().get(s.p().path("/tasks/" + id + "/stages")).json();
        assertThat(stages.findValuesAsText("type")).containsExactly("init", "running", "print_result");
        assertThat(stages.get(2).get("end").isNull()).isFalse();
        JsonNode hosts = s.p().admin().get(s.p().path("/tasks/" + id + "/ansible/hosts")).json();
        assertThat(hosts.findValuesAsText("host")).containsExactlyInAnyOrder("local", "remote");
        assertThat(hosts.get(0).get("ok").asInt()).isEqualTo(3);
        assertThat(hosts.get(0).get("failed").asInt()).isZero();
        JsonNode recapLine = null;
        for (JsonNode line : s.p().admin().get(s.p().path("/tasks/" + id + "/output")).json()) {
            if (line.get("output").asText().contains("PLAY RECAP")) {
                recapLine = line;
            }
        }
        assertThat(recapLine).isNotNull();
        assertThat(recapLine.get("stage_id").asLong()).isEqualTo(stages.get(2).get("id").asLong());
        String raw = s.p().admin().get(s.p().path("/tasks/" + id + "/raw_output")).body();
        assertThat(raw).contains("PLAY RECAP").doesNotContain("\u001B");
    }

    @Test
    void branchesOfTheSshRepositoryAreListedThroughTheAgent() {
        Setup s = setup();
        Response branches = s.p().admin().get(s.p().path("/repositories/" + s.repository() + "/branches"));
        assertThat(branches.status()).as(branches.toString()).isEqualTo(200);
        assertThat(branches.body()).contains("main");
    }

    @Test
    void checkDiffTagsLimitAndVerbosityReachAnsible() throws Exception {
        Setup s = setup();
        long template = s.template("site", "site.yml", Map.of("task_params", Map.of("allow_debug", true,
                "allow_override_limit", true, "allow_override_tags", true)));
        long id = s.p().run(template, Map.of("params", Map.of("dry_run", true, "diff", true, "debug", true,
                "debug_level", 2, "tags", List.of("second"), "limit", List.of("local")))).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("check=True diff=True")
                .containsPattern("local\\s+: ok=1 ")
                .doesNotContain("greeting=")
                .doesNotContainPattern("remote\\s+: ok=")
                .contains("config file");

        // Tags the template does not allow are left out (the whole play runs), and the log says so.
        long strict = s.p().run(s.template("strict", "site.yml", Map.of()),
                Map.of("params", Map.of("tags", List.of("second")))).get("id").asLong();
        assertThat(s.p().await(strict, 120_000, "success", "error").get("params").has("tags")).isFalse();
        assertThat(s.p().output(strict).get(0)).contains("tags").contains("allow_override_tags");
    }

    @Test
    void aFailingPlaybookEndsInError() throws Exception {
        Setup s = setup();
        long id = s.p().run(s.template("fail", "fail.yml", Map.of()), Map.of()).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        assertThat(done.get("status").asText()).isEqualTo("error");
        assertThat(s.p().plainOutput(id)).contains("deliberate failure").containsPattern("failed=1");
        JsonNode errors = s.p().admin().get(s.p().path("/tasks/" + id + "/ansible/errors")).json();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("task").asText()).isEqualTo("fail");
        assertThat(errors.get(0).get("error").asText()).isEqualTo("deliberate failure");
        assertThat(errors.findValuesAsText("host")).containsExactlyInAnyOrder("local", "remote");
    }

    @Test
    void aVaultedVariableIsDecryptedWithTheTemplatesVaultPassword() throws Exception {
        Setup s = setup();
        long vaultKey = s.p().create("/keys", Map.of("name", "vault", "type", "login_password",
                "login_password", Map.of("login", "", "password", VAULT_PASSWORD)));
        long template = s.template("vault", "vault.yml", Map.of("vaults",
                List.of(Map.of("type", "password", "vault_key_id", vaultKey))));
        long id = s.p().run(template, Map.of()).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("vaulted=the vaulted plaintext").doesNotContain(VAULT_PASSWORD);
    }

    @Test
    void galaxyRequirementsAreInstalledBeforeThePlaybook() throws Exception {
        Setup s = setup();
        long id = s.p().run(s.template("galaxy", "galaxy.yml", Map.of()), Map.of()).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("Installing roles from roles/requirements.yml")
                .contains("greet was installed successfully").contains("hello from the galaxy role");
    }
}
