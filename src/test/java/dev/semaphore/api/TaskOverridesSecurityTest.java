package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a task runner may change when starting a task, tried as an attacker would: extra variables
 * that make Ansible run a command on the server (upstream's CVE-2023-39059 class), a Jinja2 lookup
 * typed into a survey, another file of the repository as the playbook, dangerous ansible-playbook
 * arguments, and a vault script outside the repository. Every attempt leaves a marker file behind
 * if it worked.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class TaskOverridesSecurityTest {
    private static Path repo;

    @Parameter
    Dialect dialect;

    @BeforeAll
    static void repository() throws Exception {
        repo = Files.createTempDirectory(TestDatabases.tempDir(), "attack");
        Files.writeString(repo.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: /bin/true
                    - debug: msg="x={{ x | default('none') }} note={{ note | default('none') }}"
                """);
        Files.writeString(repo.resolve("hello.sh"), "echo \"template script ran $*\"\n");
        Files.writeString(repo.resolve("other.sh"), "touch \"$MARKER\"\necho other script ran\n");
        git(repo, "init", "-q", "-b", "main");
        git(repo, "add", ".");
        git(repo, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "attack surface");
    }

    private record Setup(ProjectFixture fixture, Client runner, long repository, long inventory, long environment) {
        long template(Map<String, Object> fields) {
            Map<String, Object> body = new HashMap<>(Map.of("name", TestServer.unique("t"), "app", "ansible",
                    "playbook", "site.yml", "repository_id", repository, "inventory_id", inventory,
                    "environment_id", environment));
            body.putAll(fields);
            return fixture.create("/templates", body);
        }

        Response start(long template, Map<String, Object> fields) {
            Map<String, Object> body = new HashMap<>(Map.of("template_id", template));
            body.putAll(fields);
            return runner.post(fixture.path("/tasks"), body);
        }
    }

    private Setup setup(Path marker) {
        TestServer server = TestServers.of(dialect);
        ProjectFixture fixture = ProjectFixture.create(server, "overrides");
        Client runner = server.newUser("runner");
        ProjectsApiTest.addMember(fixture.admin(), fixture.project(), runner, "task_runner");
        long repository = fixture.create("/repositories", Map.of("name", "r", "git_url", repo.toString(),
                "git_branch", "main", "ssh_key_id", fixture.noneKey()));
        long inventory = fixture.create("/inventory", Map.of("name", "here", "type", "static",
                "ssh_key_id", fixture.noneKey(), "inventory",
                "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"));
        long environment = fixture.create("/environment", Map.of("name", "env",
                "env", "{\"MARKER\": \"" + marker + "\"}", "json", "{}"));
        return new Setup(fixture, runner, repository, inventory, environment);
    }

    private static Path marker() throws Exception {
        Path dir = Files.createTempDirectory(TestDatabases.tempDir(), "marker");
        return dir.resolve("pwned");
    }

    @Test
    void variablesThatRunProgramsOnTheServerAreRefusedWhateverTheTemplateAllows() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long strict = s.template(Map.of());
        long open = s.template(Map.of("task_params", Map.of("allow_override_vars", true)));
        List<Map<String, String>> attacks = List.of(
                Map.of("ansible_connection", "local", "ansible_python_interpreter", "touch " + marker + "; /usr/bin/python3"),
                Map.of("ansible_ssh_common_args", "-o ProxyCommand='touch " + marker + "'"),
                Map.of("ansible_shell_executable", "/bin/sh -c 'touch " + marker + "'"),
                Map.of("ansible_become_exe", "touch " + marker),
                Map.of("ANSIBLE_PYTHON_INTERPRETER", "touch " + marker));
        for (long template : new long[] {strict, open}) {
            for (Map<String, String> vars : attacks) {
                Response refused = s.start(template, Map.of("environment", Json.of(vars)));
                assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
                assertThat(refused.error()).contains("'environment'").contains(vars.keySet().iterator().next());
            }
            Response secret = s.start(template, Map.of("secret", Json.of(Map.of("ansible_python_interpreter", "x"))));
            assertThat(secret.status()).isEqualTo(400);
            assertThat(secret.error()).contains("'secret'");
        }
        // Any other ansible_ variable needs the template's explicit leave.
        Response user = s.start(open, Map.of("environment", "{\"ansible_user\": \"root\"}"));
        assertThat(user.status()).isEqualTo(400);
        assertThat(user.error()).contains("ansible_user").contains("allowed_ansible_vars");
        long allowsUser = s.template(Map.of("task_params", Map.of("allowed_ansible_vars", List.of("ansible_user"))));
        assertThat(s.start(allowsUser, Map.of("environment", "{\"ansible_user\": \"root\"}")).status()).isEqualTo(201);
        assertThat(s.fixture.admin().get(s.fixture.path("/tasks?template_id=" + strict)).json()).isEmpty();
        // Nor may a template open them.
        Response opening = s.fixture.admin().post(s.fixture.path("/templates"), Map.of("name", "bad", "app", "ansible",
                "playbook", "site.yml", "repository_id", s.repository, "inventory_id", s.inventory,
                "task_params", Map.of("allowed_ansible_vars", List.of("ansible_connection"))));
        assertThat(opening.status()).isEqualTo(400);
        assertThat(opening.error()).contains("task_params.allowed_ansible_vars");
        Response survey = s.fixture.admin().post(s.fixture.path("/templates"), Map.of("name", "bad", "app", "ansible",
                "playbook", "site.yml", "repository_id", s.repository, "inventory_id", s.inventory,
                "survey_vars", List.of(Map.of("name", "ansible_python_interpreter", "type", ""))));
        assertThat(survey.status()).isEqualTo(400);
        assertThat(survey.error()).contains("survey_vars[0].name");
        s.fixture.await(s.fixture.admin().get(s.fixture.path("/tasks?template_id=" + allowsUser)).json().get(0)
                .get("id").asLong(), "success", "error");
        assertThat(marker).doesNotExist();
    }

    @Test
    void onlySurveyVariablesCountUnlessTheTemplateAllowsOverridingAndTheRestIsNamedInTheLog() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long template = s.template(Map.of("survey_vars", List.of(Map.of("name", "note", "type", ""))));
        JsonNode task = s.start(template, Map.of("environment", "{\"x\": \"from-task\", \"note\": \"hi\"}")).json();
        long id = task.get("id").asLong();
        assertThat(s.fixture.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        String output = s.fixture.plainOutput(id);
        assertThat(output).contains("x=none note=hi")
                .contains("Ignored the task's variables x").contains("allow_override_vars");
        assertThat(s.fixture.output(id).get(0)).startsWith("Ignored the task's variables x");
        long open = s.template(Map.of("task_params", Map.of("allow_override_vars", true)));
        long opened = s.start(open, Map.of("environment", "{\"x\": \"from-task\"}")).json().get("id").asLong();
        s.fixture.await(opened, "success", "error");
        assertThat(s.fixture.plainOutput(opened)).contains("x=from-task").doesNotContain("Ignored");
    }

    @Test
    void aJinjaLookupTypedIntoASurveyIsPrintedNotRun() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long template = s.template(Map.of("survey_vars", List.of(Map.of("name", "x", "type", ""),
                Map.of("name", "note", "type", "secret"))));
        String lookup = "{{ lookup('pipe', 'touch " + marker + "') }}";
        long id = s.start(template, Map.of("environment", Json.of(Map.of("x", lookup)),
                "secret", Json.of(Map.of("note", "{{ lookup('pipe', 'touch " + marker + "') }}-secret")))).json()
                .get("id").asLong();
        assertThat(s.fixture.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        assertThat(marker).doesNotExist();
        assertThat(s.fixture.plainOutput(id)).contains("x=" + lookup);
    }

    @Test
    void aTaskRunsTheTemplatesPlaybookUnlessTheTemplateLetsItChoose() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        Map<String, Object> bash = Map.of("app", "bash", "playbook", "hello.sh");
        long strict = s.template(bash);
        long id = s.start(strict, Map.of("playbook", "other.sh")).json().get("id").asLong();
        assertThat(s.fixture.await(id, "success", "error").get("status").asText()).isEqualTo("success");
        assertThat(marker).doesNotExist();
        assertThat(s.fixture.plainOutput(id)).contains("template script ran")
                .contains("Ignored the task's playbook other.sh").doesNotContain("other script ran");
        Map<String, Object> choosing = new HashMap<>(bash);
        choosing.put("task_params", Map.of("allow_override_playbook", true));
        long open = s.template(choosing);
        long chosen = s.start(open, Map.of("playbook", "other.sh")).json().get("id").asLong();
        s.fixture.await(chosen, "success", "error");
        assertThat(s.fixture.plainOutput(chosen)).contains("other script ran");
        assertThat(marker).exists();
    }

    @Test
    void aTasksOwnAnsibleArgumentsMayNotChangeTheConnectionOrLoadCode() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long template = s.template(Map.of("allow_override_args_in_task", true));
        List<List<String>> attacks = List.of(
                List.of("--ssh-common-args=-o ProxyCommand='touch " + marker + "'"),
                List.of("--ssh-extra-args", "-o ProxyCommand=x"),
                List.of("-c", "local"),
                List.of("-vvvc", "local"),
                List.of("-e", "ansible_python_interpreter='touch " + marker + "'"),
                List.of("--extra-vars={\"ansible_shell_executable\": \"x\"}"),
                List.of("-e", "@/etc/passwd"),
                List.of("-e", "x={{ lookup('pipe','touch " + marker + "') }}"),
                List.of("--vault-password-file=/tmp/x.sh"),
                List.of("-i", "/tmp/inventory.sh"),
                List.of("--module-path=/tmp"));
        for (List<String> args : attacks) {
            Response refused = s.start(template, Map.of("arguments", Json.of(args)));
            assertThat(refused.status()).as(args + " -> " + refused).isEqualTo(400);
            assertThat(refused.error()).contains("'arguments'");
        }
        long fine = s.start(template, Map.of("arguments", "[\"-e\", \"x=plain\", \"--diff\"]")).json().get("id")
                .asLong();
        s.fixture.await(fine, "success", "error");
        assertThat(s.fixture.plainOutput(fine)).contains("x=plain");
        assertThat(marker).doesNotExist();
    }

    @Test
    void abbreviatedOptionsEscapesAndYamlCannotSlipPastTheAllowList() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long template = s.template(Map.of("allow_override_args_in_task", true));
        String touch = "touch${IFS}" + marker + ";/usr/bin/python3";
        List<List<String>> attacks = List.of(
                // argparse takes any unique prefix of a long option as that option.
                List.of("--extra=ansible_python_interpreter=" + touch),
                List.of("--extra-v=ansible_python_interpreter=" + touch),
                List.of("--ssh-common=-o ProxyCommand=touch " + marker),
                List.of("--module-pa=/tmp"),
                List.of("--vault-password=/tmp/x.sh"),
                List.of("--conn=local"),
                List.of("-Ce", "ansible_python_interpreter=" + touch),
                // ansible decodes escapes in k=v pairs before reading the name (and the value).
                List.of("-e", "\\x61nsible_python_interpreter=" + touch),
                List.of("-e", "\\u0061nsible_python_interpreter=" + touch),
                List.of("-e", "\\141nsible_python_interpreter=" + touch),
                List.of("-e", "x=\\x7b\\x7b lookup('pipe','touch " + marker + "') }}"),
                // YAML: flow mappings, escapes in double-quoted keys and values, merge keys.
                List.of("-e", "{ansible_python_interpreter: \"" + touch + "\"}"),
                List.of("-e", "{\"\\x61nsible_python_interpreter\": \"" + touch + "\"}"),
                List.of("-e", "{x: \"\\x7b\\x7b lookup('pipe','touch " + marker + "') }}\"}"),
                List.of("-e", "{<<: {ansible_python_interpreter: x}}"),
                List.of("-e", "{ansible_remote_tmp: \"/tmp/x$(touch " + marker + ")\"}"),
                List.of("-e", "[1, 2]"),
                List.of("-e", "./vars.yml"),
                List.of("--limit=@/etc/hosts"),
                List.of("--forks=lots"),
                List.of("--step"),
                List.of("-k"),
                // A second playbook, relative or absolute.
                List.of("other.yml"),
                List.of("/tmp/evil.yml"),
                List.of("--", "site.yml"));
        for (List<String> args : attacks) {
            Response refused = s.start(template, Map.of("arguments", Json.of(args)));
            assertThat(refused.status()).as(args + " -> " + refused).isEqualTo(400);
            assertThat(refused.error()).as(args.toString()).contains("'arguments'");
        }
        Response ambiguous = s.start(template, Map.of("arguments", "[\"--li=x\"]"));
        assertThat(ambiguous.error()).contains("ambiguous").contains("--limit").contains("--list-hosts");
        assertThat(s.start(template, Map.of("arguments", "[\"--user=root\"]")).error())
                .contains("--user").contains("--limit");

        // What a task may give works, abbreviated or chained, and is stored as it runs.
        JsonNode fine = s.start(template, Map.of("arguments", Json.of(List.of("--lim", "localhost", "-vvC",
                "-e", "{x: from-yaml, other: [1, 2]}", "--dif", "-e", "note='two words'")))).json();
        assertThat(fine.get("arguments").asText()).isEqualTo(Json.of(List.of("--limit=localhost", "--verbose",
                "--verbose", "--check", "--extra-vars={x: from-yaml, other: [1, 2]}", "--diff",
                "--extra-vars=note='two words'")));
        s.fixture.await(fine.get("id").asLong(), "success", "error");
        assertThat(s.fixture.plainOutput(fine.get("id").asLong())).contains("x=from-yaml note=two words");
        assertThat(marker).doesNotExist();
    }

    @Test
    void aFurtherPlaybookNeedsTheTemplatesLeaveAndStaysInTheRepository() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        long template = s.template(Map.of("allow_override_args_in_task", true,
                "task_params", Map.of("allow_override_playbook", true)));
        for (String outside : List.of("/tmp/evil.yml", "../evil.yml", "a/../../evil.yml")) {
            Response refused = s.start(template, Map.of("arguments", Json.of(List.of(outside))));
            assertThat(refused.status()).as(outside).isEqualTo(400);
            assertThat(refused.error()).contains("inside the repository");
        }
        assertThat(s.start(template, Map.of("arguments", "[\"site.yml\"]")).status()).isEqualTo(201);
    }

    @Test
    void terraformTasksMayGiveOnlyThePlansSelectionOptions() {
        Setup s = setup(Path.of("/nonexistent"));
        long template = s.template(Map.of("app", "terraform", "playbook", "", "allow_override_args_in_task", true));
        for (List<String> args : List.of(List.of("-var-file=/etc/shadow"), List.of("-chdir=/tmp"),
                List.of("-out=/tmp/plan"), List.of("-state", "/tmp/x"), List.of("-generate-config-out=/tmp/x.tf"),
                List.of("--terragrunt-tfpath=/tmp/evil"), List.of("somewhere"), List.of("-parallelism=many"),
                List.of("-var", "not a pair"), List.of("-refresh=maybe"))) {
            Response refused = s.start(template, Map.of("arguments", Json.of(args)));
            assertThat(refused.status()).as(args + " -> " + refused).isEqualTo(400);
            assertThat(refused.error()).contains("'arguments'");
        }
        JsonNode fine = s.start(template, Map.of("arguments", Json.of(List.of("-target", "null_resource.a",
                "--var=x=1", "-refresh=false", "-parallelism", "2")))).json();
        assertThat(fine.get("arguments").asText()).isEqualTo(Json.of(List.of("-target=null_resource.a", "-var=x=1",
                "-refresh=false", "-parallelism=2")));
    }

    @Test
    void onlyDataVariablesMayBeOpenedToTasksAndTheirValuesStayData() throws Exception {
        Path marker = marker();
        Setup s = setup(marker);
        for (String name : List.of("ansible_remote_tmp", "ansible_sudo_flags", "ansible_ssh_executable",
                "ansible_pipelining", "ansible_become_user")) {
            Response opening = s.fixture.admin().post(s.fixture.path("/templates"), Map.of("name", "bad",
                    "app", "ansible", "playbook", "site.yml", "repository_id", s.repository, "inventory_id", s.inventory,
                    "task_params", Map.of("allowed_ansible_vars", List.of("ansible_user", name))));
            assertThat(opening.status()).as(name).isEqualTo(400);
            assertThat(opening.error()).contains("task_params.allowed_ansible_vars").contains(name)
                    .contains("ansible_port");
        }
        long open = s.template(Map.of("allow_override_args_in_task", true, "task_params",
                Map.of("allowed_ansible_vars", List.of("ansible_user", "ansible_host", "ansible_port"))));
        for (Map<String, String> vars : List.of(Map.of("ansible_host", "-oProxyCommand=touch " + marker),
                Map.of("ansible_host", "a b"), Map.of("ansible_user", "x;touch " + marker),
                Map.of("ansible_port", "22 -oProxyCommand=x"))) {
            Response refused = s.start(open, Map.of("environment", Json.of(vars)));
            assertThat(refused.status()).as(vars.toString()).isEqualTo(400);
            assertThat(refused.error()).contains("'environment'").contains(vars.keySet().iterator().next());
            Response asArgument = s.start(open, Map.of("arguments", Json.of(List.of("-e", Json.of(vars)))));
            assertThat(asArgument.status()).as(vars.toString()).isEqualTo(400);
        }
        assertThat(s.start(open, Map.of("environment", "{\"ansible_user\": \"CORP\\\\deploy\", \"ansible_port\": 2222}"))
                .status()).isEqualTo(201);
        // A backup that opens more is restored without it, and says so.
        ObjectNode backup = (ObjectNode) s.fixture.admin().get(s.fixture.path("/backup")).json();
        ((ObjectNode) backup.get("meta")).put("name", TestServer.unique("restored"));
        ObjectNode opened = (ObjectNode) java.util.stream.StreamSupport.stream(backup.get("templates").spliterator(), false)
                .filter(t -> t.path("task_params").has("allowed_ansible_vars")).findFirst().orElseThrow();
        ((com.fasterxml.jackson.databind.node.ArrayNode) opened.get("task_params").get("allowed_ansible_vars"))
                .add("ansible_remote_tmp");
        Response preview = s.fixture.admin().post("/api/projects/restore?dry_run=true", backup);
        assertThat(preview.json().get("ignored").toString()).contains("ansible_remote_tmp");
        Response restored = s.fixture.admin().post("/api/projects/restore", backup);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        JsonNode templates = s.fixture.admin().get("/api/project/" + restored.json().get("id").asLong() + "/templates")
                .json();
        assertThat(templates.toString()).contains("ansible_port").doesNotContain("ansible_remote_tmp");
    }

    @Test
    void aVaultScriptMustLieInsideTheRepository() {
        Setup s = setup(Path.of("/nonexistent"));
        for (String script : List.of("../outside.sh", "a/../../outside.sh", "/usr/bin/id", "./../x")) {
            Response refused = s.fixture.admin().post(s.fixture.path("/templates"), Map.of("name", "v",
                    "app", "ansible", "playbook", "site.yml", "repository_id", s.repository, "inventory_id", s.inventory,
                    "vaults", List.of(Map.of("type", "script", "script", script))));
            assertThat(refused.status()).as(script).isEqualTo(400);
            assertThat(refused.error()).contains("vaults[0].script");
        }
        assertThat(s.template(Map.of("vaults", List.of(Map.of("type", "script", "script", "tools/../vault.sh")))))
                .isPositive();
    }

    /** JSON text of a value, as upstream's task fields carry it. */
    private static final class Json {
        static String of(Object value) {
            try {
                return dev.semaphore.common.Json.mapper().writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}
