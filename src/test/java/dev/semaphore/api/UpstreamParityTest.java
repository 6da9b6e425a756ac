package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Small answers upstream's own tests and real clients rely on. */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class UpstreamParityTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    @Test
    void aTerraformTemplateWithANullBackendFilenameIsTakenLikeOneWithout() {
        ProjectFixture p = ProjectFixture.create(server(), "tf");
        long repository = p.create("/repositories", Map.of("name", "r", "git_url", "/tmp/none",
                "ssh_key_id", p.noneKey()));
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("backend_filename", null);
        params.put("override_backend", true);
        Response made = p.admin().post(p.path("/templates"), Map.of("name", "tf", "app", "terraform",
                "playbook", "", "repository_id", repository, "task_params", params));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
    }

    @Test
    void aFailedCloneSaysItAsUpstreamDoes() throws Exception {
        ProjectFixture p = ProjectFixture.create(server(), "clone");
        long repository = p.create("/repositories", Map.of("name", "gone", "git_url", "file:///nonexistent/repo.git",
                "ssh_key_id", p.noneKey()));
        long template = p.create("/templates", Map.of("name", "t", "app", "bash", "playbook", "x.sh",
                "repository_id", repository));
        long task = p.run(template, Map.of()).get("id").asLong();
        assertThat(p.await(task, "error", "success").get("status").asText()).isEqualTo("error");
        assertThat(p.output(task)).anyMatch(line -> line.startsWith("Failed updating repository:"));
    }

    @Test
    void theAdminsQueueSaysWhetherATaskWaitsOrRuns() throws Exception {
        ProjectFixture p = ProjectFixture.create(server(), "queue");
        Path scripts = Files.createTempDirectory(TestDatabases.tempDir(), "queue");
        Files.writeString(scripts.resolve("wait.sh"), "echo running; sleep 30\n");
        long running = p.run(p.bashTemplate(scripts, "wait.sh", Map.of()), Map.of()).get("id").asLong();
        long repository = p.admin().get(p.path("/tasks/" + running)).json().get("template_id").asLong();
        long waiting = p.run(p.create("/templates", Map.of("name", "nowhere", "app", "bash", "playbook", "wait.sh",
                "repository_id", p.admin().get(p.path("/templates/" + repository)).json().get("repository_id").asLong(),
                "runner_tag", "no-runner-has-this")), Map.of()).get("id").asLong();
        p.await(running, "running");
        JsonNode queue = p.admin().get("/api/tasks").json();
        for (JsonNode row : queue) {
            if (row.get("task_id").asLong() == running) {
                assertThat(row.get("location").asText()).isEqualTo("running");
            }
            if (row.get("task_id").asLong() == waiting) {
                assertThat(row.get("location").asText()).isEqualTo("queue");
            }
        }
        assertThat(queue.findValuesAsText("task_id")).contains(Long.toString(running), Long.toString(waiting));
        assertThat(p.admin().get("/api/tasks/" + running).json().findValuesAsText("task_id"))
                .as("upstream answers the list here too").contains(Long.toString(running));
        // Upstream's UI stops a task from the admin's list with DELETE /api/tasks/{id}: 204, a graceful stop.
        assertThat(p.admin().delete("/api/tasks/" + waiting).status()).isEqualTo(204);
        assertThat(p.await(waiting, "stopped").get("status").asText()).isEqualTo("stopped");
        assertThat(p.admin().delete("/api/tasks/" + running).status()).isEqualTo(204);
        assertThat(p.await(running, "stopped").get("status").asText()).isEqualTo("stopped");
        assertThat(p.admin().delete("/api/tasks/" + running).status()).as("ended already: nothing to do").isEqualTo(204);
        assertThat(p.admin().delete("/api/tasks/987654321").status()).as("as upstream").isEqualTo(204);
        assertThat(server().newUser("plain").delete("/api/tasks/" + running).status()).isEqualTo(403);
    }

    @Test
    void aRefusedDeleteOfSomethingInUseSaysInUse() {
        ProjectFixture p = ProjectFixture.create(server(), "inuse");
        long key = p.create("/keys", Map.of("name", "k", "type", "login_password",
                "login_password", Map.of("login", "a", "password", "b")));
        long repository = p.create("/repositories", Map.of("name", "r", "git_url", "https://example.test/r.git",
                "ssh_key_id", key));
        long inventory = p.create("/inventory", Map.of("name", "i", "type", "static", "inventory", "localhost\n",
                "ssh_key_id", key));
        long group = p.create("/environment", Map.of("name", "e", "json", "{}", "env", "{}"));
        p.create("/templates", Map.of("name", "t", "app", "ansible", "playbook", "x.yml", "repository_id", repository,
                "inventory_id", inventory, "environment_id", group));
        for (String path : new String[] {"/keys/" + key, "/repositories/" + repository, "/inventory/" + inventory,
                "/environment/" + group}) {
            Response refused = p.admin().delete(p.path(path));
            assertThat(refused.status()).as(path).isEqualTo(400);
            assertThat(refused.json().get("inUse").asBoolean()).as(path).isTrue();
            assertThat(refused.error()).contains("in use");
        }
    }

    @Test
    void anUnknownSignInProviderLeadsBackToTheSignInPage() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server().baseUrl()
                + "/api/auth/oidc/no-such-provider/login")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).isEqualTo("/auth/login");
    }

    @Test
    void theLiveSocketAnswersAPlainRequestAsUpstreamAndLeavesNoHttpSession() throws Exception {
        String url = server().baseUrl() + "/api/ws";
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("not signed in").isEqualTo(401);
        String token = server().admin().post("/api/user/tokens", "").json().get("id").asText();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("signed in, no upgrade")
                .isEqualTo(400);
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/ws HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("JSESSIONID");
        }
    }
}
