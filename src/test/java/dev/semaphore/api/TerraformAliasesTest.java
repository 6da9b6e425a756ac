package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Upstream's Terraform state aliases: a person's own terraform (the real binary) keeps a workspace's state on
 * this server through an alias, with the alias key's login and password, locking with terraform's LOCK and UNLOCK.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class TerraformAliasesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    Dialect dialect;

    @Test
    void aPersonsTerraformKeepsItsStateThroughAnAliasAndItsKey() throws Exception {
        ProjectFixture p = ProjectFixture.create(TestServers.of(dialect), "tf-alias");
        long workspace = p.create("/inventory", Map.of("name", "prod", "type", "terraform-workspace",
                "inventory", "prod"));
        long key = p.create("/keys", Map.of("name", "tf backend", "type", "login_password",
                "login_password", Map.of("login", "ci-bot", "password", "tf-pass-9")));
        String base = "/inventory/" + workspace + "/terraform/aliases";
        assertThat(p.admin().get(p.path(base)).json()).isEmpty();
        Response made = p.admin().post(p.path(base), Map.of());
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        long aliasId = made.json().get("id").asLong();
        String url = made.json().get("url").asText();
        assertThat(url).contains("/api/terraform/");
        // Without a key, the alias opens nothing.
        assertThat(get(url, null).statusCode()).isEqualTo(401);
        assertThat(p.admin().put(p.path(base + "/" + aliasId), Map.of("auth_key_id", key)).status()).isEqualTo(204);
        assertThat(p.admin().get(p.path(base)).json().get(0).get("auth_key_id").asLong()).isEqualTo(key);

        Path code = Files.createTempDirectory("tf-alias");
        Files.writeString(code.resolve("main.tf"), """
                terraform {
                  backend "http" {}
                }
                resource "terraform_data" "greeting" {
                  input = "hello from outside"
                }
                output "greeting" {
                  value = terraform_data.greeting.output
                }
                """);
        assertThat(terraform(code, "init", "-input=false", "-backend-config=address=" + url,
                "-backend-config=lock_address=" + url, "-backend-config=unlock_address=" + url,
                "-backend-config=username=ci-bot", "-backend-config=password=tf-pass-9")).isZero();
        assertThat(terraform(code, "apply", "-auto-approve", "-input=false")).isZero();

        Response latest = p.admin().get(p.path("/inventory/" + workspace + "/terraform/states/latest"));
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.body()).contains("hello from outside");
        JsonNode versions = p.admin().get(p.path("/inventory/" + workspace + "/terraform/states")).json();
        assertThat(versions).isNotEmpty();
        assertThat(versions.get(0).get("task_id").isNull()).as("written by no task").isTrue();
        assertThat(get(url, "ci-bot:wrong").statusCode()).isEqualTo(401);
        assertThat(get(url, "ci-bot:tf-pass-9").body()).contains("hello from outside");

        assertThat(p.admin().delete(p.path(base + "/" + aliasId)).status()).isEqualTo(204);
        assertThat(get(url, "ci-bot:tf-pass-9").statusCode()).isEqualTo(404);
        long hosts = p.create("/inventory", Map.of("name", "hosts", "type", "static", "inventory", "web1"));
        assertThat(p.admin().post(p.path("/inventory/" + hosts + "/terraform/aliases"), Map.of()).status())
                .as("only a workspace has a state").isEqualTo(400);
        long string = p.create("/keys", Map.of("name", "s", "type", "string", "string", "x"));
        assertThat(p.admin().post(p.path(base), Map.of("auth_key_id", string)).error()).contains("auth_key_id");
    }

    private static HttpResponse<String> get(String url, String basic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (basic != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int terraform(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("terraform"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("TF_IN_AUTOMATION", "1");
        builder.environment().put("CHECKPOINT_DISABLE", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0) {
            System.out.println(output);
        }
        return process.exitValue();
    }
}
