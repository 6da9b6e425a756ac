package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Upstream 2.17+'s template fields: several variable groups in order, Ansible's working directory, galaxy skipped. */
@ParameterizedClass
@EnumSource(Dialect.class)
class TemplateGroupsAndDirectoriesTest {
    @Parameter
    Dialect dialect;

    @Test
    void aTemplatesVariableGroupsApplyInOrderTheLaterWinning() throws Exception {
        Path scripts = Files.createTempDirectory("groups");
        Files.writeString(scripts.resolve("show.sh"), "echo \"stage=$STAGE token=$TOKEN args: $*\"\n");
        ProjectFixture p = ProjectFixture.create(TestServers.of(dialect), "groups");
        long first = p.create("/environment", Map.of("name", "base", "json", "{\"REGION\": \"eu\", \"ONLY_A\": \"a\"}",
                "env", "{\"STAGE\": \"base\"}", "secrets", List.of(Map.of("name", "TOKEN", "type", "env",
                        "secret", "tok-of-base"))));
        long second = p.create("/environment", Map.of("name", "prod", "json", "{\"REGION\": \"us\"}",
                "env", "{\"STAGE\": \"prod\"}"));
        long repository = p.create("/repositories", Map.of("name", "s", "git_url", scripts.toString(),
                "ssh_key_id", p.noneKey()));
        Map<String, Object> body = new HashMap<>(Map.of("name", "show", "app", "bash", "playbook", "show.sh",
                "repository_id", repository, "environment_ids", List.of(first, second)));
        long template = p.create("/templates", body);
        JsonNode read = p.admin().get(p.path("/templates/" + template)).json();
        assertThat(read.get("environment_ids").toString()).isEqualTo("[" + first + "," + second + "]");
        assertThat(read.get("environment_id").asLong()).as("upstream still sends the first").isEqualTo(first);

        long task = p.run(template, Map.of()).get("id").asLong();
        assertThat(p.await(task, "success", "error").get("status").asText()).isEqualTo("success");
        String line = p.output(task).stream().filter(l -> l.contains("stage=")).findFirst().orElseThrow();
        assertThat(line).contains("stage=prod").contains("token=***").contains("REGION=us").contains("ONLY_A=a")
                .doesNotContain("REGION=eu");

        // A group in use by a template, first or later, cannot be deleted.
        Response refused = p.admin().delete(p.path("/environment/" + second));
        assertThat(refused.status()).as(refused.toString()).isIn(400, 409);
        // An older client's environment_id alone still sets the one group.
        body.put("environment_ids", null);
        body.put("environment_id", second);
        assertThat(p.admin().put(p.path("/templates/" + template), body).status()).isEqualTo(204);
        assertThat(p.admin().get(p.path("/templates/" + template)).json().get("environment_ids").toString())
                .isEqualTo("[" + second + "]");
        body.put("environment_ids", List.of(first, 999999));
        assertThat(p.admin().put(p.path("/templates/" + template), body).error()).contains("environment_ids");
        // Backed up and restored, the groups keep their order.
        JsonNode backup = p.admin().get(p.path("/backup")).json();
        assertThat(backup.toString()).contains("\"environment\":\"prod\"");
    }

    @Test
    void ansibleRunsInItsWorkingDirectoryAndSkipsGalaxyWhenTold() throws Exception {
        if (dialect != Dialect.SQLITE) {
            return; // what runs does not depend on the database; the fields' storage is checked on every one above
        }
        Path repo = Files.createTempDirectory("workdir");
        Files.createDirectories(repo.resolve("deploy"));
        Files.writeString(repo.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug:
                        msg: "undefined is [{{ defined_nowhere }}]"
                """);
        // ansible reads the ansible.cfg of the directory it runs in: this one lets an undefined variable pass
        Files.writeString(repo.resolve("deploy/ansible.cfg"), "[defaults]\nerror_on_undefined_vars = False\n");
        // requirements that cannot be installed here (no galaxy server is reachable): skipping them is what lets it run
        Files.writeString(repo.resolve("requirements.yml"), "collections:\n  - name: nobody.nothing_here\n");
        ProjectFixture p = ProjectFixture.create(TestServers.of(dialect), "workdir");
        long repository = p.create("/repositories", Map.of("name", "r", "git_url", repo.toString(),
                "ssh_key_id", p.noneKey()));
        long inventory = p.create("/inventory", Map.of("name", "here", "type", "static",
                "inventory", "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"));
        long template = p.create("/templates", Map.of("name", "site", "app", "ansible", "playbook", "site.yml",
                "repository_id", repository, "inventory_id", inventory, "working_directory", "deploy",
                "task_params", Map.of("skip_galaxy_install", true)));
        assertThat(p.admin().get(p.path("/templates/" + template)).json().get("working_directory").asText())
                .isEqualTo("deploy");
        long task = p.run(template, Map.of()).get("id").asLong();
        JsonNode done = p.await(task, 120_000, "success", "error");
        String output = p.plainOutput(task);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        // without that ansible.cfg the undefined variable fails the task
        assertThat(output).contains("undefined is [{{ defined_nowhere }}]").contains("Galaxy requirements are not installed");

        Map<String, Object> bad = new HashMap<>(Map.of("name", "x", "app", "ansible", "playbook", "site.yml",
                "repository_id", repository, "inventory_id", inventory, "working_directory", "../outside"));
        assertThat(p.admin().post(p.path("/templates"), bad).error()).contains("working_directory");
        bad.put("app", "bash");
        bad.put("working_directory", "deploy");
        assertThat(p.admin().post(p.path("/templates"), bad).error()).contains("only for Ansible");
    }
}
