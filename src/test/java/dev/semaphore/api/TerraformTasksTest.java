package dev.semaphore.api;

import static dev.semaphore.api.TasksApiTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terraform end to end with the real binary and a provider-free configuration ({@code terraform_data}
 * and outputs, so nothing is downloaded): plan, the pause for confirmation, confirm and reject,
 * auto-approve, destroy, workspaces from the inventory. SQLite only, as for Ansible.
 */
class TerraformTasksTest {
    private static String repositoryUrl;

    @BeforeAll
    static void repository() throws Exception {
        Path src = Files.createTempDirectory(TestDatabases.tempDir(), "tf");
        Files.createDirectories(src.resolve("infra"));
        Files.writeString(src.resolve("infra/main.tf"), """
                variable "greeting" {
                  type = string
                }
                variable "token" {
                  type      = string
                  sensitive = true
                }
                resource "terraform_data" "greeting" {
                  input = "${var.greeting} from ${terraform.workspace}"
                }
                output "greeting" {
                  value = terraform_data.greeting.output
                }
                output "token_length" {
                  value = nonsensitive(length(var.token))
                }
                """);
        // Holds the state's lock for a while, and meanwhile tries to unlock it under another lock's ID.
        Files.createDirectories(src.resolve("slow"));
        Files.writeString(src.resolve("slow/main.tf"), """
                variable "greeting" {
                  type = string
                }
                variable "token" {
                  type      = string
                  sensitive = true
                }
                resource "terraform_data" "slow" {
                  provisioner "local-exec" {
                    command = <<-EOT
                      code=$(curl -s -o /dev/null -w '%%{http_code}' -X POST --data '{"ID":"not-the-lock"}' "$TF_HTTP_UNLOCK_ADDRESS")
                      echo "unlock with another ID: $code"
                      sleep 6
                    EOT
                  }
                }
                """);
        git(src, "init", "-q", "-b", "main");
        git(src, "add", ".");
        git(src, "-c", "user.email=t@x", "-c", "user.name=t", "commit", "-q", "-m", "infrastructure");
        repositoryUrl = "file://" + src;
    }

    private record Setup(ProjectFixture p, long repository, long environment) {
        long template(Map<String, Object> extra) {
            Map<String, Object> body = new HashMap<>(Map.of("name", "infra", "app", "terraform", "playbook", "infra",
                    "repository_id", repository, "environment_id", environment));
            body.putAll(extra);
            return p.create("/templates", body);
        }
    }

    private static Setup setup() {
        return setup(TestServers.of(Dialect.SQLITE));
    }

    private static Setup setup(dev.semaphore.testing.TestServer server) {
        ProjectFixture p = ProjectFixture.create(server, "terraform");
        long repository = p.create("/repositories", Map.of("name", "infra", "git_url", repositoryUrl,
                "git_branch", "main", "ssh_key_id", p.noneKey()));
        long environment = p.create("/environment", Map.of("name", "vars", "json", "{\"greeting\": \"hello\"}",
                "env", "{}", "secrets", List.of(Map.of("name", "token", "type", "var", "secret", "tf-secret-123456"))));
        return new Setup(p, repository, environment);
    }

    private static void awaitConfirmation(Setup s, long id) throws InterruptedException {
        JsonNode paused = s.p().await(id, 120_000, "waiting_confirmation", "success", "error");
        assertThat(paused.get("status").asText()).as(s.p().plainOutput(id)).isEqualTo("waiting_confirmation");
    }

    @Test
    void aPlanWaitsForConfirmationThenApplies() throws Exception {
        Setup s = setup();
        long id = s.p().run(s.template(Map.of()), Map.of()).get("id").asLong();
        awaitConfirmation(s, id);
        assertThat(s.p().plainOutput(id)).contains("Plan: 1 to add").contains("Waiting for confirmation")
                .doesNotContain("Apply complete");
        Response confirmed = s.p().admin().post(s.p().path("/tasks/" + id + "/confirm"), Map.of());
        assertThat(confirmed.status()).isEqualTo(204);
        JsonNode done = s.p().await(id, 120_000, "success", "error");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("Apply complete! Resources: 1 added")
                .contains("greeting = \"hello from default\"").contains("token_length = 16")
                .doesNotContain("tf-secret-123456");
        assertThat(s.p().admin().post(s.p().path("/tasks/" + id + "/confirm"), Map.of()).status()).isEqualTo(400);
        assertThat(s.p().admin().get(s.p().path("/tasks/" + id + "/stages")).json().findValuesAsText("type"))
                .containsExactly("init", "terraform_plan", "running");
        assertThat(s.p().admin().get(s.p().path("/events/last")).body()).contains("Task " + id + " confirmed by");
    }

    @Test
    void aPlanNobodyDecidesOnEndsAfterTheConfirmationTimeout() throws Exception {
        var json = TestDatabases.freshConfigJson(Dialect.SQLITE).put("confirmation_timeout_sec", 2);
        try (var own = new dev.semaphore.testing.TestServer(Dialect.SQLITE,
                new dev.semaphore.config.ConfigLoader(Map.of()).fromJson(json))) {
            Setup s = setup(own);
            long id = s.p().run(s.template(Map.of()), Map.of()).get("id").asLong();
            awaitConfirmation(s, id);
            JsonNode done = s.p().await(id, 60_000, "success", "error", "stopped");
            assertThat(done.get("status").asText()).isEqualTo("error");
            assertThat(s.p().plainOutput(id)).contains("No one confirmed or rejected the plan within 2 s")
                    .doesNotContain("Apply complete");
        }
    }

    @Test
    void aRejectedPlanEndsInErrorWithNothingApplied() throws Exception {
        Setup s = setup();
        long id = s.p().run(s.template(Map.of()), Map.of()).get("id").asLong();
        awaitConfirmation(s, id);
        assertThat(s.p().admin().post(s.p().path("/tasks/" + id + "/reject"), Map.of()).status()).isEqualTo(204);
        JsonNode done = s.p().await(id, 60_000, "success", "error", "stopped");
        assertThat(done.get("status").asText()).isEqualTo("error");
        assertThat(s.p().plainOutput(id)).contains("not confirmed").doesNotContain("Apply complete");
    }

    @Test
    void autoApproveAppliesWithoutAPauseAndPlanOnlyAppliesNothing() throws Exception {
        Setup s = setup();
        long template = s.template(Map.of("task_params", Map.of("allow_auto_approve", true)));
        long auto = s.p().run(template, Map.of("params", Map.of("auto_approve", true))).get("id").asLong();
        JsonNode done = s.p().await(auto, 120_000, "success", "error", "waiting_confirmation");
        assertThat(done.get("status").asText()).as(s.p().plainOutput(auto)).isEqualTo("success");
        assertThat(s.p().plainOutput(auto)).contains("Apply complete! Resources: 1 added");

        long plan = s.p().run(template, Map.of("params", Map.of("plan", true))).get("id").asLong();
        done = s.p().await(plan, 120_000, "success", "error", "waiting_confirmation");
        assertThat(done.get("status").asText()).isEqualTo("success");
        assertThat(s.p().plainOutput(plan)).contains("Plan: 1 to add").contains("nothing was applied")
                .doesNotContain("Apply complete");

        // A destroy the template does not allow is left out, and the log says so (upstream ignores it too).
        Response ignored = s.p().admin().post(s.p().path("/tasks"), Map.of("template_id", template,
                "params", Map.of("destroy", true, "plan", true)));
        assertThat(ignored.status()).isEqualTo(201);
        long id = ignored.json().get("id").asLong();
        s.p().await(id, 120_000, "success", "error", "waiting_confirmation");
        assertThat(s.p().output(id).get(0)).contains("destroy").contains("allow_destroy");
        assertThat(s.p().plainOutput(id)).doesNotContain("destroy: Destroy complete");
    }

    @Test
    void theInventoryNamesTheWorkspace() throws Exception {
        Setup s = setup();
        long workspace = s.p().create("/inventory", Map.of("name", "staging", "type", "terraform-workspace",
                "inventory", "staging"));
        long template = s.template(Map.of("inventory_id", workspace, "task_params", Map.of("auto_approve", true)));
        long id = s.p().run(template, Map.of()).get("id").asLong();
        JsonNode done = s.p().await(id, 120_000, "success", "error", "waiting_confirmation");
        String output = s.p().plainOutput(id);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("greeting = \"hello from staging\"");
    }

    @Test
    void theServerKeepsTheStateBetweenRunsThroughItsHttpBackend() throws Exception {
        Setup s = setup();
        long template = s.template(Map.of("task_params", Map.of("override_backend", true, "auto_approve", true)));
        long first = s.p().run(template, Map.of()).get("id").asLong();
        JsonNode done = s.p().await(first, 120_000, "success", "error", "waiting_confirmation");
        String output = s.p().plainOutput(first);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("State is kept by this server").contains("Resources: 1 added")
                .doesNotContainPattern("/api/terraform/[0-9a-f]{32}");
        // A new clone has no local state: only the server's backend knows the resource exists.
        long second = s.p().run(template, Map.of()).get("id").asLong();
        done = s.p().await(second, 120_000, "success", "error", "waiting_confirmation");
        assertThat(done.get("status").asText()).as(s.p().plainOutput(second)).isEqualTo("success");
        assertThat(s.p().plainOutput(second)).contains("No changes").doesNotContain("1 added");

        String states = s.p().path("/templates/" + template + "/terraform/states");
        JsonNode versions = s.p().admin().get(states).json();
        assertThat(versions.size()).isGreaterThanOrEqualTo(1);
        assertThat(versions.get(0).get("task_id").asLong()).isEqualTo(first);
        assertThat(s.p().admin().get(states + "/latest").body()).contains("terraform_data").contains("from default");
        long version = versions.get(0).get("id").asLong();
        assertThat(s.p().admin().get(states + "/" + version).body()).contains("terraform_data");
        assertThat(s.p().admin().delete(states + "/" + version).status()).isEqualTo(204);
        assertThat(s.p().admin().get(states + "/" + version).status()).isEqualTo(404);
        assertThat(s.p().admin().get(s.p().path("/events/last")).body()).contains("Terraform state version " + version);
        assertThat(TestServers.of(Dialect.SQLITE).anonymous().get("/api/terraform/" + "0".repeat(32)).status())
                .isEqualTo(404);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void anotherProcessThatReadsTheStateAddressGetsNothingAndNoOneUnlocksWithoutTheLocksId(Dialect dialect)
            throws Exception {
        Setup s = setup(TestServers.of(dialect));
        long template = s.template(Map.of("name", "slow", "playbook", "slow",
                "task_params", Map.of("override_backend", true, "auto_approve", true)));
        long task = s.p().run(template, Map.of()).get("id").asLong();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!s.p().plainOutput(task).contains("unlock with another ID") && System.currentTimeMillis() < deadline
                && !List.of("success", "error").contains(s.p().admin().get(s.p().path("/tasks/" + task)).json()
                        .get("status").asText())) {
            Thread.sleep(100);
        }
        assertThat(s.p().plainOutput(task)).contains("unlock with another ID");
        // What another task of the same user could do: read the running Terraform's environment.
        ProcessHandle terraform = ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("")
                .endsWith("/terraform") && List.of(p.info().arguments().orElse(new String[0])).contains("apply"))
                .findFirst().orElseThrow();
        String address = java.util.Arrays.stream(Files.readString(Path.of("/proc/" + terraform.pid() + "/environ"))
                .split("\u0000")).filter(v -> v.startsWith("TF_HTTP_ADDRESS=")).findFirst().orElseThrow()
                .substring("TF_HTTP_ADDRESS=".length());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (var request : List.of(java.net.http.HttpRequest.newBuilder(java.net.URI.create(address)).GET(),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(address))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"version\": 4}")),
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(address + "/unlock"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")))) {
            var answer = http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.request() + ": " + answer.body()).isEqualTo(403);
        }
        JsonNode done = s.p().await(task, 120_000, "success", "error");
        String output = s.p().plainOutput(task);
        assertThat(done.get("status").asText()).as(output).isEqualTo("success");
        assertThat(output).contains("unlock with another ID: 409");
        assertThat(s.p().admin().get(s.p().path("/templates/" + template + "/terraform/states/latest")).body())
                .contains("terraform_data");
    }

    @Test
    void stoppingATaskWaitingForConfirmationStopsIt() throws Exception {
        Setup s = setup();
        long id = s.p().run(s.template(Map.of()), Map.of()).get("id").asLong();
        awaitConfirmation(s, id);
        assertThat(s.p().admin().post(s.p().path("/tasks/" + id + "/stop"), Map.of()).status()).isEqualTo(204);
        JsonNode done = s.p().await(id, 30_000, "success", "error", "stopped");
        assertThat(done.get("status").asText()).isEqualTo("stopped");
        assertThat(s.p().plainOutput(id)).doesNotContain("Apply complete");
    }
}
