package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.LiveSocket;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code /api/ws}: members see their project's task updates and log lines as they happen; nobody else does. */
class LiveUpdatesTest {
    @Test
    void membersReceiveUpdatesAndMaskedLogLinesOthersNothing() throws Exception {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Client admin = server.newUser("liveowner", false);
        server.services().users().update(null, admin.userId(),
                new dev.semaphore.user.UserService.UserChanges(null, null, null, true, null));
        Client stranger = server.newUser("livestranger");
        String strangerToken = stranger.post("/api/user/tokens", "").json().get("id").asText();

        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "live");
        Files.writeString(repo.resolve("talk.sh"), "echo one\necho \"secret is $TOKEN\"\necho three\n");
        long project = createProject(admin, TestServer.unique("live"));
        long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
        long repository = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                "git_url", repo.toString(), "ssh_key_id", key)).json().get("id").asLong();
        long env = admin.post("/api/project/" + project + "/environment", Map.of("name", "e", "secrets",
                List.of(Map.of("name", "TOKEN", "type", "env", "secret", "live-secret-77")))).json().get("id").asLong();
        long template = admin.post("/api/project/" + project + "/templates", Map.of("name", "talk", "app", "bash",
                "playbook", "talk.sh", "repository_id", repository, "environment_id", env)).json().get("id").asLong();

        // A guest of the project (not an admin) must see it all; the stranger, no member, nothing.
        Client guest = server.newUser("liveguest");
        ProjectsApiTest.addMember(admin, project, guest, "guest");
        String guestToken = guest.post("/api/user/tokens", "").json().get("id").asText();
        LiveSocket member = LiveSocket.open(server.baseUrl(), guestToken);
        LiveSocket outsider = LiveSocket.open(server.baseUrl(), strangerToken);
        long task = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", template)).json()
                .get("id").asLong();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && member.messages.stream().noneMatch(m ->
                m.path("type").asText().equals("update") && m.path("status").asText().equals("success"))) {
            Thread.sleep(50);
        }
        List<String> statuses = member.messages.stream().filter(m -> m.path("type").asText().equals("update")
                && m.path("task_id").asLong() == task).map(m -> m.path("status").asText()).toList();
        assertThat(statuses).contains("waiting", "running", "success");
        List<String> lines = member.messages.stream().filter(m -> m.path("type").asText().equals("log"))
                .map(m -> m.path("output").asText()).toList();
        assertThat(lines).containsSubsequence("one", "secret is ***", "three");
        assertThat(member.messages.toString()).doesNotContain("live-secret-77");
        assertThat(outsider.messages).noneMatch(m -> m.path("project_id").asLong() == project);

        // The outsider's socket was alive all along: it hears a project it belongs to.
        long own = createProject(admin, TestServer.unique("own"));
        ProjectsApiTest.addMember(admin, own, stranger, "guest");
        long ownKey = admin.get("/api/project/" + own + "/keys").json().get(0).get("id").asLong();
        long ownRepository = admin.post("/api/project/" + own + "/repositories", Map.of("name", "r",
                "git_url", repo.toString(), "ssh_key_id", ownKey)).json().get("id").asLong();
        long ownTemplate = admin.post("/api/project/" + own + "/templates", Map.of("name", "talk", "app", "bash",
                "playbook", "talk.sh", "repository_id", ownRepository)).json().get("id").asLong();
        long ownTask = admin.post("/api/project/" + own + "/tasks", Map.of("template_id", ownTemplate)).json()
                .get("id").asLong();
        outsider.awaitStatus(ownTask, "success");
        assertThat(outsider.messages).anyMatch(m -> m.path("task_id").asLong() == ownTask)
                .noneMatch(m -> m.path("project_id").asLong() == project);

        // A member removed from the project hears nothing more of it, at once.
        assertThat(admin.delete("/api/project/" + project + "/users/" + guest.userId()).status()).isEqualTo(204);
        long after = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", template)).json()
                .get("id").asLong();
        outsider.awaitStatus(ownTask, "success");
        long end = System.currentTimeMillis() + 20_000;
        while (!admin.get("/api/project/" + project + "/tasks/" + after).json().path("status").asText()
                .equals("success") && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        Thread.sleep(300);
        assertThat(member.messages).noneMatch(m -> m.path("task_id").asLong() == after);
        member.socket().sendClose(WebSocket.NORMAL_CLOSURE, "");
        outsider.socket().sendClose(WebSocket.NORMAL_CLOSURE, "");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void aBrowserOnOneNodeFollowsATaskRunningOnAnother(Dialect dialect) throws Exception {
        dev.semaphore.config.Config config = TestDatabases.freshConfig(dialect);
        try (TestServer a = new TestServer(dialect, config)) {
            Client admin = a.admin();
            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "relay");
            // Each line says when it was printed, so the lag to a browser on the other node can be measured.
            Files.writeString(repo.resolve("tick.sh"), "for i in $(seq 1 20); do echo \"tick $i $(date +%s%3N)\";"
                    + " sleep 0.1; done\n");
            long project = createProject(admin, TestServer.unique("relay"));
            long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
            long repository = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                    "git_url", repo.toString(), "ssh_key_id", key)).json().get("id").asLong();
            long template = admin.post("/api/project/" + project + "/templates", Map.of("name", "tick", "app", "bash",
                    "playbook", "tick.sh", "repository_id", repository)).json().get("id").asLong();
            long task = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", template)).json()
                    .get("id").asLong();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!admin.get("/api/project/" + project + "/tasks/" + task).json().path("status").asText()
                    .equals("running") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            // Node B starts once A runs the task: A's it stays, and B's browser hears of it.
            try (TestServer b = new TestServer(dialect, config)) {
                String token = admin.post("/api/user/tokens", "").json().get("id").asText();
                LiveSocket watcher = LiveSocket.open(b.baseUrl(), token);
                watcher.awaitStatus(task, "success");
                watcher.socket().abort();
                List<Long> lags = new java.util.ArrayList<>();
                for (int i = 0; i < watcher.messages.size(); i++) {
                    JsonNode m = watcher.messages.get(i);
                    java.util.regex.Matcher printed = java.util.regex.Pattern.compile("^tick \\d+ (\\d+)$")
                            .matcher(m.path("output").asText());
                    if (m.path("type").asText().equals("log") && printed.matches()) {
                        lags.add(watcher.receivedMillis.get(i) - Long.parseLong(printed.group(1)));
                    }
                }
                assertThat(watcher.messages).anyMatch(m -> m.path("task_id").asLong() == task
                        && m.path("status").asText().equals("success"));
                assertThat(lags).as("log lines printed on A while B's browser listened").hasSizeGreaterThan(3);
                java.util.Collections.sort(lags);
                System.out.println(dialect + ": a task's lines on node A reached a browser on node B after "
                        + lags.get(lags.size() / 2) + " ms (median), " + lags.get(lags.size() - 1) + " ms (slowest)"
                        + " of " + lags.size());
            }
        }
    }

    @Test
    void aStalledSocketNeverDelaysTheOthersAndIsClosedOnceTooFarBehind() throws Exception {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Client admin = server.admin();
        String token = admin.post("/api/user/tokens", "").json().get("id").asText();
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "crowd");
        // 100,000 lines, 10,000 a second: more than the 16 M characters a socket may fall behind, at a pace
        // a reading socket keeps up with.
        Files.writeString(repo.resolve("loud.sh"), """
                for chunk in $(seq 0 199); do
                  for i in $(seq $((chunk * 500 + 1)) $((chunk * 500 + 500))); do printf 'line %06d %0120d\\n' $i 0; done
                  sleep 0.05
                done
                """);
        long project = createProject(admin, TestServer.unique("crowd"));
        long key = admin.get("/api/project/" + project + "/keys").json().get(0).get("id").asLong();
        long repository = admin.post("/api/project/" + project + "/repositories", Map.of("name", "r",
                "git_url", repo.toString(), "ssh_key_id", key)).json().get("id").asLong();
        long template = admin.post("/api/project/" + project + "/templates", Map.of("name", "loud", "app", "bash",
                "playbook", "loud.sh", "repository_id", repository)).json().get("id").asLong();

        // A client that stops reading as soon as it is connected: the server's writes to it stall.
        java.util.concurrent.CompletableFuture<Integer> stalledClosed = new java.util.concurrent.CompletableFuture<>();
        WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/ws"), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        // no demand: nothing is read until the test asks
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(WebSocket webSocket, CharSequence data,
                                                                         boolean last) {
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
                        stalledClosed.complete(code);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        LiveSocket reader = LiveSocket.open(server.baseUrl(), token);
        long task = admin.post("/api/project/" + project + "/tasks", Map.of("template_id", template)).json()
                .get("id").asLong();
        long deadline = System.currentTimeMillis() + 60_000;
        while (reader.lines(task).size() < 100_000 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<String> lines = reader.lines(task);
        assertThat(lines).as("every line reached the reading socket").hasSize(100_000);
        assertThat(lines.get(0)).startsWith("line 000001 ");
        assertThat(lines.get(99_999)).startsWith("line 100000 ");
        assertThat(reader.closed()).isFalse();
        // Reading again, the stalled client finds its socket was closed for falling too far behind.
        stalled.request(Long.MAX_VALUE);
        assertThat(stalledClosed.get(30, TimeUnit.SECONDS)).isEqualTo(dev.semaphore.live.LiveHub.TOO_FAR_BEHIND);
    }

    @Test
    void anonymousClientsAreRefusedAtTheUpgrade() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.baseUrl().replace("http", "ws") + "/api/ws"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("Unexpected HTTP response status code 401");
    }
}
