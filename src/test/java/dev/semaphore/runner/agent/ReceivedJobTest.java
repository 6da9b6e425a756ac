package dev.semaphore.runner.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.job.JobSpec;
import org.junit.jupiter.api.Test;

/**
 * A job as an upstream server sends it to its runners (upstream's {@code RunnerState}, written here by
 * hand from its structs' JSON names), read by our runner into the spec our executor runs.
 */
class ReceivedJobTest {
    private static final String UPSTREAM_STATE = """
            {"CurrentJobs": null,
             "new_jobs": [{
               "Username": "alice", "IncomingVersion": null, "Alias": "",
               "task": {"id": 42, "template_id": 7, "project_id": 3, "status": "starting", "debug": false,
                        "playbook": "", "environment": "{\\"release\\": \\"1.2\\"}", "secret": "",
                        "arguments": null, "git_branch": "", "user_id": 5, "integration_id": null,
                        "schedule_id": null, "created": "2026-11-28T10:00:00Z", "start": null, "end": null,
                        "message": "deploy it", "commit_hash": null, "commit_message": "", "build_task_id": null,
                        "version": null, "inventory_id": null, "params": {"limit": ["web1"], "tags": []}},
               "template": {"id": 7, "project_id": 3, "inventory_id": 9, "repository_id": 11, "environment_id": 13,
                            "name": "Deploy", "playbook": "site.yml", "arguments": "[\\"-v\\"]",
                            "allow_override_args_in_task": false, "description": null,
                            "vaults": [{"id": 1, "name": "", "type": "password", "vault_key_id": 21, "script": null}],
                            "type": "", "start_version": null, "build_template_id": null, "view_id": null,
                            "autorun": false, "survey_vars": [{"name": "who", "title": "Who", "type": ""}],
                            "suppress_success_alerts": false, "app": "ansible", "git_branch": null,
                            "task_params": {"allow_debug": true}, "runner_tag": "edge", "tasks": 3},
               "inventory": {"id": 9, "name": "hosts", "project_id": 3, "inventory": "web1 ansible_host=10.0.0.5",
                             "ssh_key_id": 19, "become_key_id": null, "type": "static", "repository_id": null},
               "inventory_repository": null,
               "repository": {"id": 11, "name": "playbooks", "project_id": 3, "git_url": "git@example.test:ops/pb.git",
                              "git_branch": "main", "ssh_key_id": 17},
               "environment": {"id": 13, "name": "prod", "project_id": 3, "password": null,
                               "json": "{\\"region\\": \\"eu\\"}", "env": "{\\"PLAIN\\": \\"p\\"}",
                               "secrets": [{"id": 1, "type": "env", "name": "API_TOKEN", "secret": "tok-1", "operation": ""},
                                           {"id": 2, "type": "var", "name": "db_pass", "secret": "pw-2", "operation": ""}]}}],
             "access_keys": {
               "17": {"id": 17, "name": "git", "type": "ssh", "project_id": 3,
                      "ssh": {"login": "git", "passphrase": "", "private_key": "-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n"},
                      "login_password": {"login": "", "password": ""}, "string": ""},
               "19": {"id": 19, "name": "hosts", "type": "login_password", "project_id": 3,
                      "login_password": {"login": "deploy", "password": "host-pw"}, "string": ""},
               "21": {"id": 21, "name": "vault", "type": "login_password", "project_id": 3,
                      "login_password": {"login": "", "password": "vault-pw"}, "string": ""}}}
            """;

    @Test
    void anUpstreamServersJobIsReadIntoTheSpecOurExecutorRuns() {
        JsonNode state = Json.tree(UPSTREAM_STATE);
        ReceivedJob job = new ReceivedJob(state.get("new_jobs").get(0), state.get("access_keys"),
                "https://semaphore.example", 65_536, 60);
        JobSpec spec = job.spec();
        assertThat(spec.task().id()).isEqualTo(42);
        assertThat(spec.template().playbook()).isEqualTo("site.yml");
        assertThat(spec.template().app()).isEqualTo("ansible");
        assertThat(Json.tree(spec.template().surveyVars()).get(0).get("name").asText()).isEqualTo("who");
        assertThat(spec.repository().gitUrl()).isEqualTo("git@example.test:ops/pb.git");
        assertThat(spec.inventory().inventory()).isEqualTo("web1 ansible_host=10.0.0.5");
        assertThat(spec.env()).containsEntry("PLAIN", "p").containsEntry("API_TOKEN", "tok-1");
        assertThat(spec.varSecrets()).containsEntry("db_pass", "pw-2");
        assertThat(spec.vars().get("region").asText()).isEqualTo("eu");
        assertThat(spec.vars().get("release").asText()).as("the task's own variables over the group's").isEqualTo("1.2");
        assertThat(spec.key(17L)).isInstanceOf(KeySecret.Ssh.class);
        assertThat(spec.key(19L)).isEqualTo(new KeySecret.LoginPassword("deploy", "host-pw"));
        assertThat(spec.key(21L)).isEqualTo(new KeySecret.LoginPassword("", "vault-pw"));
        assertThat(spec.secrets()).contains("tok-1", "pw-2", "host-pw", "vault-pw");
        assertThat(Json.tree(spec.task().params()).get("limit").get(0).asText()).isEqualTo("web1");
    }
}
