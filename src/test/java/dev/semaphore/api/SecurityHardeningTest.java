package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.LogCapture;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The attacks on a running server's login, sessions, request handling and task output, each
 * through the HTTP API, on SQLite and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class SecurityHardeningTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static HttpResponse<String> login(String base, String login, String password, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString(dev.semaphore.common.Json.mapper().writeValueAsString(
                        Map.of("auth", login, "password", password))));
        headers.forEach(request::header);
        if (!headers.containsKey("Content-Type")) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(HttpResponse<?> login) {
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    private Client user(String login, String password, boolean admin) {
        return server().asUser(server().services().users().create(null, new dev.semaphore.user.UserService.NewUser(
                login, login, login + "@example.test", password, admin, false, false)).id());
    }

    /** A bash template running {@code script} from a local repository of its own. */
    private static long bashTemplate(ProjectFixture fixture, String script, Map<String, Object> extra)
            throws Exception {
        Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "script");
        Files.writeString(repo.resolve("run.sh"), script);
        long repository = fixture.create("/repositories", Map.of("name", "r", "git_url", repo.toString(),
                "ssh_key_id", fixture.noneKey()));
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "t", "app", "bash", "playbook", "run.sh",
                "repository_id", repository));
        body.putAll(extra);
        return fixture.create("/templates", body);
    }

    @Test
    void repeatedWrongPasswordsLockTheLoginWhetherOrNotItExistsAndAdminsSeeIt() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("auth").put("login_max_failures", 3).put("login_lockout_sec", 60)
                .put("login_address_max_failures", 8);
        try (TestServer own = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = own.admin();
            own.services().users().create(null, new dev.semaphore.user.UserService.NewUser("victim", "V",
                    "victim@example.test", "right-password", false, false, false));
            for (String name : List.of("victim", "nobody-by-that-name")) {
                for (int i = 0; i < 3; i++) {
                    assertThat(login(own.baseUrl(), name, "wrong", Map.of()).statusCode()).isEqualTo(401);
                }
                HttpResponse<String> locked = login(own.baseUrl(), name, name.equals("victim") ? "right-password"
                        : "wrong", Map.of());
                assertThat(locked.statusCode()).as(name).isEqualTo(429);
                assertThat(locked.body()).contains("too many failed logins");
                assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 61L);
            }
            JsonNode lockouts = admin.get("/api/auth/lockouts").json();
            assertThat(lockouts.findValuesAsText("subject")).contains("login:victim", "login:nobody-by-that-name");
            assertThat(admin.get("/api/events").json().findValuesAsText("description"))
                    .anyMatch(d -> d.startsWith("Logins for login:victim locked until"));
            Client someone = own.newUser("someone");
            assertThat(someone.get("/api/auth/lockouts").status()).isEqualTo(403);
            assertThat(admin.delete("/api/auth/lockouts?subject=login:victim").status()).isEqualTo(204);
            assertThat(login(own.baseUrl(), "victim", "right-password", Map.of()).statusCode()).isEqualTo(204);
            // The address: eight failures over any logins lock it for everyone at that address.
            for (int i = 0; i < 8; i++) {
                login(own.baseUrl(), "spray-" + i, "wrong", Map.of());
            }
            assertThat(login(own.baseUrl(), "victim", "right-password", Map.of()).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void changingAPasswordEndsOtherSessionsAndTokensUnlessKept() throws Exception {
        String login = TestServer.unique("pw");
        Client tokenUser = user(login, "first-password", false);
        String base = server().baseUrl();
        String other = cookie(login(base, login, "first-password", Map.of()));
        String mine = cookie(login(base, login, "first-password", Map.of()));
        Client otherBrowser = server().withCookie(other, tokenUser.userId());
        Client myBrowser = server().withCookie(mine, tokenUser.userId());
        assertThat(otherBrowser.get("/api/user").status()).isEqualTo(200);
        Response changed = myBrowser.post("/api/users/" + tokenUser.userId() + "/password",
                Map.of("password", "second-password", "current_password", "first-password"));
        assertThat(changed.status()).isEqualTo(204);
        assertThat(myBrowser.get("/api/user").status()).as("the session that changed it").isEqualTo(200);
        assertThat(otherBrowser.get("/api/user").status()).as("another session").isEqualTo(401);
        assertThat(tokenUser.get("/api/user").status()).as("an API token").isEqualTo(401);
        Client newToken = server().asUser(tokenUser.userId());
        assertThat(myBrowser.post("/api/users/" + tokenUser.userId() + "/password",
                Map.of("password", "third-password", "current_password", "second-password", "keep_tokens", true))
                .status()).isEqualTo(204);
        assertThat(newToken.get("/api/user").status()).as("a token kept on request").isEqualTo(200);
        // An admin's reset ends every session of the user.
        Client admin = server().admin();
        assertThat(admin.post("/api/users/" + tokenUser.userId() + "/password",
                Map.of("password", "fourth-password")).status()).isEqualTo(204);
        assertThat(myBrowser.get("/api/user").status()).isEqualTo(401);
        assertThat(newToken.get("/api/user").status()).isEqualTo(401);
    }

    @Test
    void passwordsLongerThanBcryptReadsAreRefusedInWords() throws Exception {
        String login = TestServer.unique("long");
        user(login, "short-password", false);
        for (String password : List.of("x".repeat(73), "é".repeat(72), "a".repeat(10_000))) {
            HttpResponse<String> answer = login(server().baseUrl(), login, password, Map.of());
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at ");
        }
        Client admin = server().admin();
        Response tooLong = admin.post("/api/users", Map.of("username", TestServer.unique("u"), "name", "n",
                "email", TestServer.unique("e") + "@example.test", "password", "é".repeat(37)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.error()).contains("'password'").contains("72 bytes");
    }

    @Test
    void crossSiteLoginsNullOriginsAndFormBodiesAreRefused() throws Exception {
        String login = TestServer.unique("csrf");
        user(login, "pw-csrf-1", false);
        String base = server().baseUrl();
        // A page's form or text body (a browser always says where it comes from) is refused, even same-origin.
        HttpResponse<String> textPlain = login(base, login, "pw-csrf-1", Map.of("Content-Type", "text/plain",
                "Sec-Fetch-Site", "same-origin"));
        assertThat(textPlain.statusCode()).isEqualTo(415);
        assertThat(textPlain.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(login(base, login, "pw-csrf-1", Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Origin", base)).statusCode()).isEqualTo(415);
        assertThat(login(base, login, "pw-csrf-1", Map.of("Content-Type", "text/plain", "Origin",
                "https://evil.example", "Sec-Fetch-Site", "cross-site")).statusCode()).isEqualTo(403);
        // A script's JSON login with a form's content type (Python's urllib, Ansible's collection) signs in.
        HttpResponse<String> script = login(base, login, "pw-csrf-1",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(script.statusCode()).isEqualTo(204);
        assertThat(script.headers().firstValue("Set-Cookie")).isPresent();
        assertThat(login(base, login, "pw-csrf-1", Map.of("Origin", "https://evil.example")).statusCode())
                .isEqualTo(403);
        assertThat(login(base, login, "pw-csrf-1", Map.of("Sec-Fetch-Site", "cross-site")).statusCode())
                .isEqualTo(403);
        String session = cookie(login(base, login, "pw-csrf-1", Map.of()));
        long id = server().services().users().findByUsername(login).orElseThrow().id();
        Client browser = server().withCookie(session, id);
        int tokensBefore = server().services().tokens().list(id).size();
        Response nullOrigin = browser.withHeader("Origin", "null").post("/api/user/tokens", Map.of());
        assertThat(nullOrigin.status()).isEqualTo(403);
        assertThat(browser.withHeader("Origin", "null").post("/api/users/" + id + "/password",
                Map.of("password", "hijacked")).status()).isEqualTo(403);
        HttpResponse<String> form = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/user/tokens"))
                .header("Cookie", session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(server().services().tokens().list(id)).hasSize(tokensBefore);
        // Our own page, and API tokens from any client, are unaffected.
        assertThat(browser.withHeader("Origin", base).post("/api/user/tokens", Map.of()).status()).isEqualTo(201);
    }

    @Test
    void aWebsocketFromAnotherSiteIsRefusedAndOneWhoseSessionEndedIsClosed() throws Exception {
        String login = TestServer.unique("ws");
        user(login, "pw-ws-1", true);
        String base = server().baseUrl();
        String session = cookie(login(base, login, "pw-ws-1", Map.of()));
        URI ws = URI.create(base.replace("http://", "ws://") + "/api/ws");
        CompletableFuture<WebSocket> foreign = HTTP.newWebSocketBuilder().header("Cookie", session)
                .header("Origin", "https://evil.example").buildAsync(ws, new WebSocket.Listener() { });
        assertThat(foreign).failsWithin(10, TimeUnit.SECONDS);

        List<String> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Cookie", session).buildAsync(ws, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.add(data.toString());
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ProjectFixture fixture = ProjectFixture.create(server(), "ws");
        long template = bashTemplate(fixture, "echo hello-over-the-socket\n", Map.of());
        fixture.await(fixture.run(template, Map.of()).get("id").asLong(), "success");
        long deadline = System.currentTimeMillis() + 10_000;
        while (received.stream().noneMatch(m -> m.contains("hello-over-the-socket"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(received).as("the socket was alive").anyMatch(m -> m.contains("hello-over-the-socket"));
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/auth/logout")).header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        received.clear();
        // Closed by the hub's sweep, with nothing published meanwhile.
        assertThat(closed.get(15, TimeUnit.SECONDS)).isEqualTo(4001);
        fixture.await(fixture.run(template, Map.of()).get("id").asLong(), "success");
        assertThat(received).noneMatch(m -> m.contains("hello-over-the-socket"));
        socket.abort();
    }

    @Test
    void aSecretThatMakesATaskFailStaysMaskedInEventsAndTheServerLog() throws Exception {
        ProjectFixture fixture = ProjectFixture.create(server(), "mask");
        long template = bashTemplate(fixture, "echo ran\n",
                Map.of("survey_vars", List.of(Map.of("name", "pw", "type", "secret"))));
        Client guest = server().newUser("guest");
        ProjectsApiTest.addMember(fixture.admin(), fixture.project(), guest, "guest");
        try (LogCapture log = new LogCapture()) {
            // A NUL inside the value cannot go into a process environment: the start fails naming the value.
            long task = fixture.run(template, Map.of("secret", "{\"pw\": \"nul\\u0000-very-secret-tail\"}"))
                    .get("id").asLong();
            assertThat(fixture.await(task, "success", "error").get("status").asText()).isEqualTo("error");
            String events = guest.get(fixture.path("/events")).body();
            assertThat(events).contains("Task " + task + " finished with status error").doesNotContain("very-secret");
            assertThat(fixture.admin().get(fixture.path("/tasks/" + task + "/raw_output")).body())
                    .doesNotContain("very-secret");
            assertThat(log.text()).doesNotContain("very-secret");
        }
    }

    @Test
    void nulCharactersAndEndlessTokenLifetimesAnswer400() {
        Client admin = server().admin();
        Response nul = admin.post("/api/projects", "{\"name\": \"bad\\u0000name\"}");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.error()).contains("'name'").contains("NUL");
        Response nested = admin.post("/api/users", "{\"username\": \"u\", \"name\": \"n\", \"email\": \"e@x.y\","
                + " \"password\": \"p\\u0000\"}");
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.error()).contains("'password'");
        Response ttl = admin.post("/api/user/tokens", Map.of("name", "forever", "ttl", "99999999999d"));
        assertThat(ttl.status()).isEqualTo(400);
        assertThat(ttl.error()).contains("ttl");
    }

    @Test
    void passwordHashesNeverReachTheServerLogWhenAStatementFails() throws Exception {
        try (LogCapture log = new LogCapture()) {
            String login = TestServer.unique("dup");
            Client admin = server().admin();
            Map<String, Object> body = Map.of("username", login, "name", "n", "email", login + "@example.test",
                    "password", "hash-me-please");
            assertThat(admin.post("/api/users", body).status()).isEqualTo(201);
            String hash = server().services().db().read(h -> h.createQuery("SELECT password FROM users WHERE username = :u")
                    .bind("u", login).mapTo(String.class).one());
            // A statement that fails with a hash bound (a NOT NULL column left out): PostgreSQL's own detail
            // would list the failing row, and JDBI's message every bound value.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server().services().db().txRun(h -> h.createUpdate(
                            "INSERT INTO users (username, name, email, password, created) VALUES (:u, 'n', :e, :p, :c)")
                    .bind("u", login).bind("e", login + "@example.test").bind("p", hash)
                    .bind("c", java.time.Instant.now()).execute()))
                    .satisfies(e -> assertThat(e.getMessage()).contains("INSERT INTO users").doesNotContain(hash));
            assertThat(log.text()).doesNotContain(hash);
        }
    }

    @Test
    void lookAlikeLoginsAreNormalisedOrRefused() {
        Client admin = server().admin();
        for (String login : List.of("admin\u200B", "ad\u00ADmin", "adm\u0000in", "adm\u3164in", "adm\u00A0in")) {
            Response refused = admin.post("/api/users", Map.of("username", login, "name", "n",
                    "email", TestServer.unique("look") + "@example.test", "password", "pw"));
            assertThat(refused.status()).as(login).isEqualTo(400);
            assertThat(refused.error()).contains("'username'");
        }
        String plain = TestServer.unique("wide");
        String fullWidth = plain.chars().mapToObj(c -> Character.isLetterOrDigit(c) && c < 128
                ? String.valueOf((char) (c + 0xFEE0)) : String.valueOf((char) c)).reduce("", String::concat);
        Response created = admin.post("/api/users", Map.of("username", fullWidth, "name", "n",
                "email", plain + "@example.test", "password", "pw"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("username").asText()).isEqualTo(plain);
    }

    @Test
    void loginsAndAddressesThatLookLikeAnotherUsersAreRefused() {
        Client admin = server().admin();
        String plain = TestServer.unique("admin");
        Response original = admin.post("/api/users", Map.of("username", plain, "name", "n",
                "email", plain + "@example.test", "password", "pw"));
        assertThat(original.status()).isEqualTo(201);
        String cyrillic = plain.replace("i", "\u0456");
        String accented = plain.replace("n", "n\u0301");
        String capitalCyrillicA = "\u0410" + plain.substring(1);
        for (String lookAlike : List.of(cyrillic, accented, capitalCyrillicA, plain.replace("m", "rn"))) {
            Response refused = admin.post("/api/users", Map.of("username", lookAlike, "name", "n",
                    "email", TestServer.unique("other") + "@example.test", "password", "pw"));
            assertThat(refused.status()).as(lookAlike).isEqualTo(400);
            assertThat(refused.error()).contains("'username'").contains("looks like");
        }
        Response mail = admin.post("/api/users", Map.of("username", TestServer.unique("u"), "name", "n",
                "email", cyrillic + "@example.test", "password", "pw"));
        assertThat(mail.status()).isEqualTo(400);
        assertThat(mail.error()).contains("'email'");
        // Nor may someone rename themselves into it.
        Client other = server().newUser("renamer");
        Response renamed = admin.put("/api/users/" + other.userId(), Map.of("username", cyrillic));
        assertThat(renamed.status()).isEqualTo(400);
        assertThat(admin.get("/api/users").json().findValuesAsText("username")).doesNotContain(cyrillic, accented);
        // Its own user keeps its login through a save.
        long id = original.json().get("id").asLong();
        assertThat(admin.put("/api/users/" + id, Map.of("username", plain, "name", "renamed")).status()).isEqualTo(204);
    }

    @Test
    void aMalformedSshKeyIsExplainedInWords() {
        ProjectFixture fixture = ProjectFixture.create(server(), "keys");
        Response bad = fixture.admin().post(fixture.path("/keys"), Map.of("name", "k", "type", "ssh",
                "ssh", Map.of("login", "x", "private_key",
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA garbage\n-----END OPENSSH PRIVATE KEY-----\n")));
        // Kept as upstream keeps it, marked unusable with a reason in words.
        assertThat(bad.status()).isEqualTo(201);
        assertThat(bad.json().get("unusable").asText()).contains("private_key")
                .doesNotContainPattern("[A-Za-z]+\\.[A-Za-z]+Exception").doesNotContain("jsch").doesNotContain("[B@");
    }

    @Test
    void theSqliteDatabaseFileIsReadableByItsOwnerOnly() throws Exception {
        if (dialect != Dialect.SQLITE) {
            return; // a file only SQLite has
        }
        Path file = Path.of(server().services().config().string(dev.semaphore.config.ConfigKeys.DB_HOST));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Path wal = Path.of(file + "-wal");
        if (Files.exists(wal)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal))).isEqualTo("rw-------");
        }
    }

    @Test
    void branchesOfAHostThatNeverAnswersGiveUpInTimeAndLeaveNoProcess() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("git_timeout_sec", 2);
        try (TestServer own = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
             SilentHost silent = new SilentHost()) {
            ProjectFixture fixture = ProjectFixture.create(own, "branches");
            String url = "ssh://git@127.0.0.1:" + silent.port() + "/never.git";
            long repository = fixture.create("/repositories", Map.of("name", "silent", "git_url", url,
                    "ssh_key_id", fixture.noneKey()));
            long started = System.nanoTime();
            Response answer = fixture.admin().get(fixture.path("/repositories/" + repository + "/branches"));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error()).contains("git_timeout_sec");
            assertThat(seconds).isLessThan(15);
            long deadline = System.currentTimeMillis() + 5_000;
            while (leftover(silent.port()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(leftover(silent.port())).as("git or ssh left running").isFalse();
        }
    }

    @Test
    void aTasksCloneFromAHostThatNeverAnswersEndsInTimeAndLeavesNoProcess() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("git_timeout_sec", 2);
        try (TestServer own = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
             SilentHost silent = new SilentHost()) {
            ProjectFixture fixture = ProjectFixture.create(own, "clone");
            for (String url : List.of("ssh://git@127.0.0.1:" + silent.port() + "/never.git",
                    "http://127.0.0.1:" + silent.port() + "/never.git")) {
                long repository = fixture.create("/repositories", Map.of("name", TestServer.unique("silent"),
                        "git_url", url, "ssh_key_id", fixture.noneKey()));
                long template = fixture.create("/templates", Map.of("name", TestServer.unique("t"), "app", "bash",
                        "playbook", "run.sh", "repository_id", repository));
                long started = System.nanoTime();
                long task = fixture.run(template, Map.of()).get("id").asLong();
                JsonNode ended = fixture.await(task, 60_000, "error", "success");
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                assertThat(ended.get("status").asText()).as(url).isEqualTo("error");
                assertThat(seconds).as(url + " took " + seconds + " s").isLessThan(20);
                assertThat(fixture.plainOutput(task)).contains("Cloning");
            }
            long deadline = System.currentTimeMillis() + 5_000;
            while (leftover(silent.port()) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(leftover(silent.port())).as("git or ssh left running").isFalse();
        }
    }

    /** A host on loopback that accepts connections and never says a word: ssh waits for a banner, git for a reply. */
    private static final class SilentHost implements AutoCloseable {
        private final java.net.ServerSocket socket;
        private final List<java.net.Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentHost() throws java.io.IOException {
            socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (java.net.Socket connection : held) {
                connection.close();
            }
            acceptor.join(5_000);
        }
    }

    private static boolean leftover(int port) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("")
                .contains("127.0.0.1:" + port) || p.info().commandLine().orElse("").contains("-p " + port));
    }

    @Test
    void aHugeOutputLineIsCutNotKeptWhole() throws Exception {
        ProjectFixture fixture = ProjectFixture.create(server(), "lines");
        long template = bashTemplate(fixture, "head -c 20000000 /dev/zero | tr '\\0' 'x'; echo; echo after\n",
                Map.of());
        long task = fixture.run(template, Map.of()).get("id").asLong();
        assertThat(fixture.await(task, "success", "error").get("status").asText()).isEqualTo("success");
        List<String> lines = fixture.output(task);
        String big = lines.stream().filter(l -> l.startsWith("xxx")).findFirst().orElseThrow();
        assertThat(big).hasSizeLessThan(70_000).endsWith("… [line cut: " + (20_000_000 - 65_536) + " more characters]");
        assertThat(lines).contains("after");
    }
}
