package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.config.Config;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two server processes on one database, each with a warm credential cache: a password change, a logout
 * or a deleted token on one holds on the other by the time its request has returned, and a stolen session
 * busy minting API tokens on the other process keeps none of them.
 */
class CredentialRevocationAcrossNodesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String signIn(TestServer server, String login, String password) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(dev.semaphore.common.Json.mapper().writeValueAsString(
                        Map.of("auth", login, "password", password)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(204);
        return answer.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void aRevocationOnOneProcessHoldsOnTheOtherBeforeItsRequestReturns(Dialect dialect) throws Exception {
        Config config = TestDatabases.freshConfig(dialect);
        try (TestServer a = new TestServer(dialect, config); TestServer b = new TestServer(dialect, config)) {
            String login = TestServer.unique("roamer");
            long id = a.services().users().create(null, new dev.semaphore.user.UserService.NewUser(login, login,
                    login + "@example.test", "first-password", false, false, false)).id();
            Client mineAtA = a.withCookie(signIn(a, login, "first-password"), id);
            String stolenCookie = signIn(b, login, "first-password");
            Client stolenAtB = b.withCookie(stolenCookie, id);
            String loggedOut = signIn(a, login, "first-password");
            Client loggedOutAtB = b.withCookie(loggedOut, id);
            String token = mineAtA.post("/api/user/tokens", "").json().get("id").asText();
            Client tokenAtB = b.anonymous().withHeader("Authorization", "Bearer " + token);
            for (Client warm : List.of(stolenAtB, loggedOutAtB, tokenAtB)) {
                assertThat(warm.get("/api/user").status()).as("warm in B's cache").isEqualTo(200);
            }

            // Logout and token deletion on A: refused on B at once, no waiting.
            assertThat(a.withCookie(loggedOut, id).post("/api/auth/logout", "").status()).isEqualTo(204);
            assertThat(loggedOutAtB.get("/api/user").status()).isEqualTo(401);
            assertThat(mineAtA.delete("/api/user/tokens/" + token).status()).isEqualTo(204);
            assertThat(tokenAtB.get("/api/user").status()).isEqualTo(401);

            // A stolen session mints tokens on B as fast as it can while the owner changes the password on A.
            AtomicBoolean changed = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger mintedAfter = new AtomicInteger();
            List<String> minted = new CopyOnWriteArrayList<>();
            ExecutorService minters = Executors.newFixedThreadPool(6);
            for (int i = 0; i < 6; i++) {
                minters.submit(() -> {
                    while (!stop.get()) {
                        boolean sentAfterChange = changed.get();
                        Response made = stolenAtB.post("/api/user/tokens", "");
                        if (made.status() == 201) {
                            minted.add(made.json().get("id").asText());
                            if (sentAfterChange) {
                                mintedAfter.incrementAndGet();
                            }
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(300);
            assertThat(mineAtA.post("/api/users/" + id + "/password", Map.of("password", "second-password",
                    "current_password", "first-password")).status()).isEqualTo(204);
            changed.set(true);
            assertThat(stolenAtB.get("/api/user").status()).as("the stolen session, right after").isEqualTo(401);
            Thread.sleep(500);
            stop.set(true);
            minters.shutdown();
            assertThat(minters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(minted).as("tokens minted before the change").isNotEmpty();
            assertThat(mintedAfter.get()).as("tokens minted by requests sent after the change returned").isZero();
            for (String made : minted) {
                for (TestServer node : List.of(a, b)) {
                    assertThat(node.anonymous().withHeader("Authorization", "Bearer " + made).get("/api/user").status())
                            .as("a token the stolen session minted").isEqualTo(401);
                }
            }
            assertThat(mineAtA.get("/api/user").status()).as("the session that changed it").isEqualTo(200);
        }
    }
}
