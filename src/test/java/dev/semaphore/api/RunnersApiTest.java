package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upstream's runner protocol at the HTTP level, with the requests an upstream runner sends (its Go
 * field names): registration, a job with its keys and secrets, progress with log lines and statuses,
 * a runner reporting another's task, a task no runner can take, a runner gone quiet before and while
 * running a task, and jobs encrypted to a runner's public key.
 */
class RunnersApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;

    @BeforeAll
    static void start() {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("runner_registration_token", "let-me-register-42");
        json.putObject("runners").put("offline_timeout_sec", 2).put("task_fail_timeout_sec", 3)
                .put("reconcile_interval_sec", 1);
        server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> internal(String method, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/internal/runners"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Runner-Token", token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String register(String extra) throws Exception {
        HttpResponse<String> registered = internal("POST", null,
                "{\"registration_token\": \"let-me-register-42\", \"max_parallel_tasks\": 2" + extra + "}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        return Json.tree(registered.body()).get("token").asText();
    }

    private static JsonNode poll(String token) throws Exception {
        HttpResponse<String> state = internal("GET", token, null);
        assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
        return Json.tree(state.body());
    }

    private record Setup(ProjectFixture fixture, long template) {
    }

    private static Setup project(String tag) {
        ProjectFixture p = ProjectFixture.create(server, "runners");
        long key = p.create("/keys", Map.of("name", "deploy", "type", "login_password",
                "login_password", Map.of("login", "ops", "password", "pw-of-ops-77")));
        long repository = p.create("/repositories", Map.of("name", "scripts", "git_url", "/srv/scripts",
                "git_branch", "", "ssh_key_id", p.noneKey()));
        long inventory = p.create("/inventory", Map.of("name", "hosts", "type", "static", "inventory", "web1",
                "ssh_key_id", key));
        long environment = p.create("/environment", Map.of("name", "vars", "json", "{\"region\": \"eu\"}",
                "secrets", List.of(Map.of("name", "API_TOKEN", "type", "env", "secret", "tok-very-secret-9"))));
        long template = p.create("/templates", Map.of("name", "remote", "app", "bash", "playbook", "hello.sh",
                "repository_id", repository, "inventory_id", inventory, "environment_id", environment,
                "runner_tag", tag, "allow_parallel_tasks", true));
        return new Setup(p, template);
    }

    @Test
    void aRunnerRegistersTakesAJobWithItsSecretsAndReportsItsProgress() throws Exception {
        assertThat(internal("POST", null, "{\"registration_token\": \"guess\"}").statusCode()).isEqualTo(400);
        assertThat(internal("GET", null, null).statusCode()).isEqualTo(401);
        assertThat(internal("GET", "not-a-runner", null).statusCode()).isEqualTo(404);
        String token = register(", \"name\": \"edge-1\", \"tags\": [\"edge\"]");
        Client admin = server.admin();
        JsonNode listed = admin.get("/api/runners").json();
        JsonNode mine = null;
        for (JsonNode r : listed) {
            if (r.get("name").asText().equals("edge-1")) {
                mine = r;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("tag").asText()).isEqualTo("edge");
        assertThat(mine.has("token")).as("a token is never listed").isFalse();

        Setup s = project("edge");
        long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
        JsonNode state = null;
        for (int i = 0; i < 50 && (state == null || state.get("new_jobs").isEmpty()); i++) {
            Thread.sleep(100);
            state = poll(token);
        }
        assertThat(state.get("new_jobs")).hasSize(1);
        JsonNode job = state.get("new_jobs").get(0);
        assertThat(job.get("task").get("id").asLong()).isEqualTo(task);
        assertThat(job.get("template").get("playbook").asText()).isEqualTo("hello.sh");
        assertThat(job.get("repository").get("git_url").asText()).isEqualTo("/srv/scripts");
        assertThat(job.get("inventory").get("inventory").asText()).isEqualTo("web1");
        assertThat(job.get("environment").get("secrets").toString()).contains("tok-very-secret-9");
        long keyId = job.get("inventory").get("ssh_key_id").asLong();
        assertThat(state.get("access_keys").get(String.valueOf(keyId)).get("login_password").get("password").asText())
                .isEqualTo("pw-of-ops-77");
        assertThat(s.fixture().admin().get(s.fixture().path("/tasks/" + task)).json().get("runner_id").asLong())
                .isEqualTo(mine.get("id").asLong());

        // Another runner reporting this task is refused, and nothing changes.
        String other = register(", \"name\": \"other\"");
        HttpResponse<String> refused = internal("PUT", other, "{\"Jobs\": [{\"ID\": " + task
                + ", \"Status\": \"success\"}]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(status(s, task)).isEqualTo("starting");

        HttpResponse<String> running = internal("PUT", token, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"running\","
                + " \"LogRecords\": [{\"time\": \"2026-11-28T10:00:00.5Z\", \"message\": \"using tok-very-secret-9\"},"
                + " {\"time\": \"2026-11-28T10:00:01Z\", \"message\": \"second line\"}]}]}");
        assertThat(running.statusCode()).as(running.body()).isEqualTo(204);
        assertThat(status(s, task)).isEqualTo("running");
        assertThat(poll(token).get("CurrentJobs").toString()).contains("\"id\":" + task).contains("running");
        HttpResponse<String> done = internal("PUT", token, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"success\","
                + " \"LogRecords\": [], \"Commit\": {\"hash\": \"abc123\", \"message\": \"the commit\"}}]}");
        assertThat(done.statusCode()).isEqualTo(204);
        JsonNode finished = s.fixture().admin().get(s.fixture().path("/tasks/" + task)).json();
        assertThat(finished.get("status").asText()).isEqualTo("success");
        assertThat(finished.get("commit_hash").asText()).isEqualTo("abc123");
        String output = String.join("\n", s.fixture().output(task));
        assertThat(output).contains("second line").contains("using ").doesNotContain("tok-very-secret-9");
        assertThat(internal("PUT", token, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"running\"}]}")
                .statusCode()).as("an ended task cannot be claimed again").isEqualTo(400);

        assertThat(internal("DELETE", other, null).statusCode()).isEqualTo(204);
        assertThat(internal("GET", other, null).statusCode()).isEqualTo(404);
    }

    @Test
    void aRunnersWebhookHearsOfEachTaskItIsGivenAndItsEnd() throws Exception {
        java.util.concurrent.BlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            heard.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String token = register(", \"name\": \"hooked\", \"tags\": [\"hooked\"], \"webhook\": \"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/hook\"");
            poll(token);
            Setup s = project("hooked");
            long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
            JsonNode start = Json.tree(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(start.get("action").asText()).isEqualTo("start");
            assertThat(start.get("task_id").asLong()).isEqualTo(task);
            assertThat(start.get("template_id").asLong()).isEqualTo(s.template());
            assertThat(internal("PUT", token, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"running\"}]}")
                    .statusCode()).isEqualTo(204);
            assertThat(internal("PUT", token, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"error\"}]}")
                    .statusCode()).isEqualTo(204);
            JsonNode finish = Json.tree(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(finish.get("action").asText()).isEqualTo("finish");
            assertThat(status(s, task)).isEqualTo("error");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void aRunnerIsToldOnceToClearItsCache() throws Exception {
        String token = register(", \"name\": \"cached\"");
        long id = 0;
        for (JsonNode r : server.admin().get("/api/runners").json()) {
            if (r.get("name").asText().equals("cached")) {
                id = r.get("id").asLong();
            }
        }
        assertThat(poll(token).has("clear_cache")).isFalse();
        assertThat(server.admin().delete("/api/runners/" + id + "/cache").status()).isEqualTo(204);
        assertThat(poll(token).get("clear_cache").asBoolean()).isTrue();
        assertThat(poll(token).has("clear_cache")).as("told once").isFalse();
    }

    @Test
    void runnerSetupWritesItsConfigurationAndRegisters() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(TestDatabases.tempDir(), "runner-setup");
        java.nio.file.Path file = dir.resolve("config.runner.json");
        assertThat(dev.semaphore.cli.SemaphoreCommand.run(new String[] {"runner", "setup", "--server", server.baseUrl(),
                "--registration-token", "let-me-register-42", "--name", "set-up", "--tags", "lab", "--dir",
                dir.resolve("home").toString(), "--file", file.toString(), "--no-config"})).isZero();
        JsonNode config = Json.tree(java.nio.file.Files.readString(file));
        assertThat(config.get("web_host").asText()).isEqualTo(server.baseUrl());
        assertThat(config.toString()).doesNotContain("let-me-register-42");
        String token = java.nio.file.Files.readString(dir.resolve("home").resolve("token")).strip();
        assertThat(internal("GET", token, null).statusCode()).as("the registered runner polls with its token")
                .isEqualTo(200);
        assertThat(server.admin().get("/api/runners").json().toString()).contains("set-up");
        assertThat(dev.semaphore.cli.SemaphoreCommand.run(new String[] {"runner", "setup", "--server", server.baseUrl(),
                "--file", file.toString(), "--no-config"})).as("an existing file is not overwritten").isNotZero();
    }

    @Test
    void withUseRemoteRunnerEveryTaskGoesToARunner() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("runner_registration_token", "all-remote-1").put("use_remote_runner", true);
        try (TestServer remoteOnly = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            ProjectFixture p = ProjectFixture.create(remoteOnly, "all-remote");
            long repository = p.create("/repositories", Map.of("name", "scripts", "git_url", "/srv/scripts",
                    "git_branch", "", "ssh_key_id", p.noneKey()));
            long template = p.create("/templates", Map.of("name", "untagged", "app", "bash", "playbook", "hello.sh",
                    "repository_id", repository));
            long task = p.run(template, Map.of()).get("id").asLong();
            JsonNode waiting = null;
            for (int i = 0; i < 50 && (waiting == null || !waiting.has("waiting_reason")); i++) {
                Thread.sleep(100);
                waiting = p.admin().get(p.path("/tasks/" + task)).json();
            }
            assertThat(waiting.get("status").asText()).as("not run by the server itself").isEqualTo("waiting");
            assertThat(waiting.get("waiting_reason").asText()).contains("no runner");
            HttpResponse<String> registered = HTTP.send(HttpRequest.newBuilder(URI.create(remoteOnly.baseUrl()
                            + "/api/internal/runners")).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"registration_token\": \"all-remote-1\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String token = Json.tree(registered.body()).get("token").asText();
            JsonNode state = null;
            for (int i = 0; i < 50 && (state == null || state.get("new_jobs").isEmpty()); i++) {
                HttpResponse<String> polled = HTTP.send(HttpRequest.newBuilder(URI.create(remoteOnly.baseUrl()
                        + "/api/internal/runners")).header("X-Runner-Token", token).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                state = Json.tree(polled.body());
                Thread.sleep(100);
            }
            assertThat(state.get("new_jobs").get(0).get("task").get("id").asLong()).isEqualTo(task);
        }
    }

    @Test
    void aTaskNoRunnerCanTakeWaitsSayingWhy() throws Exception {
        Setup s = project("nowhere");
        long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
        JsonNode current = null;
        for (int i = 0; i < 50; i++) {
            current = s.fixture().admin().get(s.fixture().path("/tasks/" + task)).json();
            if (current.has("waiting_reason")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(current.get("status").asText()).isEqualTo("waiting");
        assertThat(current.get("waiting_reason").asText()).contains("tag nowhere");
    }

    @Test
    void aQuietRunnersTasksGoBackToTheQueueOrFailNamingIt() throws Exception {
        String quiet = register(", \"name\": \"quiet\", \"tags\": [\"flaky\"]");
        poll(quiet); // online once
        Setup s = project("flaky");
        long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
        awaitStatus(s, task, "starting");
        // It never takes the job: once offline, the task is queued again and waits for another runner.
        awaitStatus(s, task, "waiting");
        String spare = register(", \"name\": \"spare\", \"tags\": [\"flaky\"]");
        JsonNode state = poll(spare);
        for (int i = 0; i < 50 && state.get("new_jobs").isEmpty(); i++) {
            Thread.sleep(100);
            state = poll(spare);
        }
        assertThat(state.get("new_jobs").get(0).get("task").get("id").asLong()).isEqualTo(task);
        assertThat(internal("PUT", spare, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"running\"}]}").statusCode())
                .isEqualTo(204);
        // The quiet runner cannot report on a task given to another.
        assertThat(internal("PUT", quiet, "{\"Jobs\": [{\"ID\": " + task + ", \"Status\": \"success\"}]}").statusCode())
                .isEqualTo(400);
        // The spare one goes quiet while running it: the task fails, naming the runner.
        JsonNode failed = awaitStatus(s, task, "error");
        assertThat(s.fixture().admin().get(s.fixture().path("/events")).json().toString())
                .contains("runner spare");
        assertThat(failed.get("status").asText()).isEqualTo("error");
    }

    @Test
    void jobsAreEncryptedToARunnersPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        String token = register(", \"name\": \"sealed\", \"tags\": [\"sealed\"], \"public_key\": "
                + Json.mapper().writeValueAsString(pem));
        HttpRequest first = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/internal/runners"))
                .header("X-Runner-Token", token).GET().build();
        assertThat(HTTP.send(first, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        Setup s = project("sealed");
        long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
        awaitStatus(s, task, "starting");
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/internal/runners"))
                .header("X-Runner-Token", token).GET().build();
        HttpResponse<byte[]> sealed = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sealed.headers().firstValue("Content-Type").orElse("")).contains("application/octet-stream");
        assertThat(sealed.body().length % 256).isZero();
        assertThat(new String(sealed.body(), StandardCharsets.ISO_8859_1)).doesNotContain("pw-of-ops-77");
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.DECRYPT_MODE, pair.getPrivate());
        StringBuilder plain = new StringBuilder();
        for (int at = 0; at < sealed.body().length; at += 256) {
            plain.append(new String(cipher.doFinal(sealed.body(), at, 256), StandardCharsets.UTF_8));
        }
        JsonNode state = Json.tree(plain.toString());
        assertThat(state.get("new_jobs").get(0).get("task").get("id").asLong()).isEqualTo(task);
        assertThat(plain.toString()).contains("pw-of-ops-77");
    }

    @Test
    void runnersAreManagedByAdminsAndProjectManagers() {
        Client admin = server.admin();
        Response made = admin.post("/api/runners", Map.of("name", "made-by-admin", "tag", "gpu",
                "max_parallel_tasks", 3));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.json().get("token").asText()).hasSizeGreaterThan(20);
        long id = made.json().get("id").asLong();
        assertThat(admin.post("/api/runners/" + id + "/active", Map.of("active", false)).status()).isEqualTo(204);
        assertThat(admin.get("/api/runners/" + id).json().get("active").asBoolean()).isFalse();
        assertThat(admin.put("/api/runners/" + id, Map.of("name", "renamed", "webhook", "ftp://x")).status())
                .isEqualTo(400);
        assertThat(admin.put("/api/runners/" + id, Map.of("name", "renamed")).status()).isEqualTo(204);
        assertThat(admin.delete("/api/runners/" + id + "/cache").status()).isEqualTo(204);
        assertThat(admin.get("/api/runner_tags").json().toString()).contains("gpu");
        Client user = server.newUser("plain");
        assertThat(user.get("/api/runners").status()).isEqualTo(403);
        assertThat(user.post("/api/runners", Map.of("name", "x")).status()).isEqualTo(403);

        ProjectFixture p = ProjectFixture.create(server, "project-runners");
        Response projectRunner = p.admin().post(p.path("/runners"), Map.of("name", "mine"));
        assertThat(projectRunner.status()).isEqualTo(201);
        assertThat(projectRunner.json().get("project_id").asLong()).isEqualTo(p.project());
        assertThat(p.admin().get(p.path("/runners")).json()).hasSize(1);
        assertThat(user.get(p.path("/runners")).status()).isIn(403, 404);
        assertThat(admin.get("/api/runners/" + projectRunner.json().get("id").asLong()).status())
                .as("a project's runner is not a server-wide one").isEqualTo(404);
        assertThat(p.admin().delete(p.path("/runners/" + projectRunner.json().get("id").asLong())).status())
                .isEqualTo(204);
    }

    /**
     * A runner made in the UI without a public key gets a key pair from the server, as upstream: its private
     * half answered once, with which the runner opens its jobs.
     */
    @Test
    void aRunnerMadeWithoutAPublicKeyIsGivenAKeyPairThatOpensItsJobs() throws Exception {
        Response made = server.admin().post("/api/runners", Map.of("name", "ui-made", "tag", "ui-made"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String privatePem = made.json().get("private_key").asText();
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(made.json().get("registered").asBoolean()).isTrue();
        assertThat(server.admin().get("/api/runners/" + made.json().get("id").asLong()).body())
                .as("the private key is shown once").doesNotContain("PRIVATE KEY");
        String token = made.json().get("token").asText();
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("RSA").generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(
                        privatePem.replaceAll("-----[A-Z ]+-----", ""))));
        HttpRequest first = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/internal/runners"))
                .header("X-Runner-Token", token).GET().build();
        assertThat(HTTP.send(first, HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        Setup s = project("ui-made");
        long task = s.fixture().run(s.template(), Map.of()).get("id").asLong();
        awaitStatus(s, task, "starting");
        HttpResponse<byte[]> sealed = HTTP.send(first, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(sealed.headers().firstValue("Content-Type").orElse("")).contains("application/octet-stream");
        Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        cipher.init(Cipher.DECRYPT_MODE, key);
        StringBuilder plain = new StringBuilder();
        for (int at = 0; at < sealed.body().length; at += 256) {
            plain.append(new String(cipher.doFinal(sealed.body(), at, 256), StandardCharsets.UTF_8));
        }
        assertThat(Json.tree(plain.toString()).get("new_jobs").get(0).get("task").get("id").asLong()).isEqualTo(task);
    }

    /** Upstream 2.17+: a runner made up front (registered false) registers once with a one-time token. */
    @Test
    void aRunnerMadeUnregisteredRegistersOnceWithItsOneTimeToken() throws Exception {
        ProjectFixture p = ProjectFixture.create(server, "one-time");
        Response made = p.admin().post(p.path("/runners"), Map.of("name", "terraformed", "registered", false));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        assertThat(made.json().has("token")).as("no credentials at all").isFalse();
        assertThat(made.json().get("registered").asBoolean()).isFalse();
        assertThat(made.json().get("active").asBoolean()).isFalse();
        long id = made.json().get("id").asLong();
        Response issued = p.admin().post(p.path("/runners/" + id + "/registration-token"), "");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        String oneTime = issued.json().get("registration_token").asText();
        assertThat(issued.json().get("runner_id").asLong()).isEqualTo(id);
        assertThat(issued.json().get("project_id").asLong()).isEqualTo(p.project());

        HttpResponse<String> wrong = internal("POST", null, "{\"registration_token\": \"not-" + oneTime + "\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        HttpResponse<String> registered = internal("POST", null, "{\"registration_token\": \"" + oneTime + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        String token = Json.tree(registered.body()).get("token").asText();
        assertThat(poll(token).has("new_jobs")).isTrue();
        JsonNode now = p.admin().get(p.path("/runners/" + id)).json();
        assertThat(now.get("registered").asBoolean()).isTrue();
        assertThat(now.get("active").asBoolean()).isTrue();
        assertThat(p.admin().get(p.path("/runners")).json()).as("the same runner, not a new one").hasSize(1);

        HttpResponse<String> again = internal("POST", null, "{\"registration_token\": \"" + oneTime + "\"}");
        assertThat(again.statusCode()).as("a one-time token works once").isEqualTo(400);
        Response late = p.admin().post(p.path("/runners/" + id + "/registration-token"), "");
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.error()).contains("already registered");
    }

    private static String status(Setup s, long task) {
        return s.fixture().admin().get(s.fixture().path("/tasks/" + task)).json().get("status").asText();
    }

    private static JsonNode awaitStatus(Setup s, long task, String status) throws InterruptedException {
        return s.fixture().await(task, 20_000, status);
    }
}
