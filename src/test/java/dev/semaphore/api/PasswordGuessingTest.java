package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Guessing passwords as an attacker with many connections would: in parallel, by login and by e-mail
 * address in turn, and through a stolen session's password change. Each server here has its own
 * throttle limits, on SQLite and PostgreSQL.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class PasswordGuessingTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Parameter
    Dialect dialect;

    private TestServer server(int maxFailures, int addressMaxFailures) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("auth").put("login_max_failures", maxFailures).put("login_lockout_sec", 300)
                .put("login_address_max_failures", addressMaxFailures);
        return new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
    }

    private static int login(TestServer server, String login, String password) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(dev.semaphore.common.Json.mapper().writeValueAsString(
                        Map.of("auth", login, "password", password)))).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void victim(TestServer server) {
        server.services().users().create(null, new dev.semaphore.user.UserService.NewUser("victim", "V",
                "victim@example.test", "right-password", false, false, false));
    }

    private static List<Integer> inParallel(int count, Callable<Integer> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(count)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                answers.add(pool.submit(call));
            }
            List<Integer> out = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                out.add(answer.get());
            }
            return out;
        }
    }

    private static int failuresOf(Client admin, String subject) {
        for (JsonNode row : admin.get("/api/auth/lockouts").json()) {
            if (row.get("subject").asText().equals(subject) || (subject.equals("address:")
                    && row.get("subject").asText().startsWith(subject))) {
                return row.get("failures").asInt();
            }
        }
        return 0;
    }

    @Test
    void parallelGuessesGetNoMoreChecksThanTheLimitAndNoCountIsLost() throws Exception {
        try (TestServer own = server(5, 1000)) {
            victim(own);
            List<Integer> answers = inParallel(60, () -> login(own, "victim", "wrong"));
            assertThat(answers.stream().filter(s -> s == 401).count()).as(answers.toString()).isEqualTo(5);
            assertThat(answers.stream().filter(s -> s == 429).count()).isEqualTo(55);
            assertThat(login(own, "victim", "right-password")).as("locked, even with the right password").isEqualTo(429);
            Client admin = own.admin();
            assertThat(failuresOf(admin, "login:victim")).isEqualTo(5);
            // Parallel failures of different logins from one address: every one counted.
            inParallel(40, () -> login(own, TestServer.unique("spray"), "wrong"));
            assertThat(failuresOf(admin, "address:")).isEqualTo(45);
        }
    }

    @Test
    void guessesByLoginAndByEmailCountAgainstOneAccount() throws Exception {
        try (TestServer own = server(4, 1000)) {
            victim(own);
            assertThat(login(own, "victim", "wrong")).isEqualTo(401);
            assertThat(login(own, "victim@example.test", "wrong")).isEqualTo(401);
            assertThat(login(own, "VICTIM", "wrong")).isEqualTo(401);
            assertThat(login(own, "Victim@Example.test", "wrong")).isEqualTo(401);
            assertThat(login(own, "victim@example.test", "right-password")).isEqualTo(429);
            assertThat(login(own, "victim", "right-password")).isEqualTo(429);
            assertThat(failuresOf(own.admin(), "login:victim")).isEqualTo(4);
            // Unknown logins are still counted as typed.
            for (int i = 0; i < 4; i++) {
                assertThat(login(own, "nobody@example.test", "wrong")).isEqualTo(401);
            }
            assertThat(login(own, "nobody@example.test", "wrong")).isEqualTo(429);
        }
    }

    @Test
    void changingOnesOwnPasswordNeedsTheCurrentOneAndWrongOnesCountAsFailedSignIns() throws Exception {
        try (TestServer own = server(3, 1000)) {
            victim(own);
            long id = own.services().users().authenticate("victim", "right-password").orElseThrow().id();
            Client stolen = own.asUser(id);
            Response missing = stolen.post("/api/users/" + id + "/password", Map.of("password", "attacker's"));
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.error()).contains("current_password");
            for (int i = 0; i < 3; i++) {
                Response wrong = stolen.post("/api/users/" + id + "/password", Map.of("password", "attacker's",
                        "current_password", "guess-" + i));
                assertThat(wrong.status()).isEqualTo(400);
                assertThat(wrong.error()).contains("current_password");
            }
            assertThat(stolen.post("/api/users/" + id + "/password", Map.of("password", "attacker's",
                    "current_password", "right-password")).status()).as("the account is locked now").isEqualTo(429);
            assertThat(login(own, "victim", "attacker's")).isEqualTo(429);
            own.admin().delete("/api/auth/lockouts?subject=login:victim");
            assertThat(login(own, "victim", "right-password")).isEqualTo(204);
            assertThat(stolen.post("/api/users/" + id + "/password", Map.of("password", "new-password",
                    "current_password", "right-password", "keep_tokens", true)).status()).isEqualTo(204);
            assertThat(login(own, "victim", "new-password")).isEqualTo(204);
            // An admin sets another user's password without it.
            assertThat(own.admin().post("/api/users/" + id + "/password", Map.of("password", "reset-by-admin"))
                    .status()).isEqualTo(204);
            assertThat(login(own, "victim", "reset-by-admin")).isEqualTo(204);
        }
    }
}
