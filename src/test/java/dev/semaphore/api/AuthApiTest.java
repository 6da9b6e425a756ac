package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class AuthApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private record Login(String username, String email, long id) {
    }

    private Login newLogin() {
        Client user = server().newUser("login");
        var self = user.get("/api/user").json();
        return new Login(self.get("username").asText(), self.get("email").asText(), user.userId());
    }

    private String cookieOf(Response login) {
        String setCookie = login.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void loginByUsernameInAnyCaseSetsAnHttpOnlySessionCookie() {
        Login login = newLogin();
        Response response = server().anonymous().post("/api/auth/login",
                Map.of("auth", login.username().toUpperCase(), "password", TestServer.PASSWORD));
        assertThat(response.status()).isEqualTo(204);
        String setCookie = response.header("Set-Cookie");
        assertThat(setCookie).startsWith("semaphore=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/");

        Client session = server().withCookie(cookieOf(response), login.id());
        Response self = session.get("/api/user");
        assertThat(self.status()).isEqualTo(200);
        assertThat(self.json().get("username").asText()).isEqualTo(login.username());
        assertThat(self.json().has("password")).isFalse();
    }

    @Test
    void loginByEmailWorks() {
        Login login = newLogin();
        Response response = server().anonymous().post("/api/auth/login",
                Map.of("auth", login.email(), "password", TestServer.PASSWORD));
        assertThat(response.status()).isEqualTo(204);
    }

    @Test
    void wrongPasswordUnknownUserAndBadBodiesAreRefused() {
        Login login = newLogin();
        Client anon = server().anonymous();
        Response wrong = anon.post("/api/auth/login", Map.of("auth", login.username(), "password", "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("Set-Cookie")).isNull();
        assertThat(anon.post("/api/auth/login", Map.of("auth", "nobody-here", "password", "x")).status())
                .isEqualTo(401);
        Response missing = anon.post("/api/auth/login", Map.of("password", "x"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.error()).contains("auth");
        Response malformed = anon.post("/api/auth/login", "{\"auth\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.error()).contains("JSON");
        assertThat(anon.post("/api/auth/login", Map.of("auth", 5, "password", "x")).error()).contains("auth");
    }

    @Test
    void logoutEndsTheSession() {
        Login login = newLogin();
        Response response = server().anonymous().post("/api/auth/login",
                Map.of("auth", login.username(), "password", TestServer.PASSWORD));
        Client session = server().withCookie(cookieOf(response), login.id());
        assertThat(session.get("/api/user").status()).isEqualTo(200);
        Response logout = session.post("/api/auth/logout", "");
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).startsWith("semaphore=;").contains("Max-Age=0");
        assertThat(session.get("/api/user").status()).isEqualTo(401);
    }

    @Test
    void aSessionIdleForSevenDaysIsExpired() {
        Login login = newLogin();
        Client anon = server().anonymous();
        Map<String, String> credentials = Map.of("auth", login.username(), "password", TestServer.PASSWORD);
        Client idle = server().withCookie(cookieOf(anon.post("/api/auth/login", credentials)), login.id());
        Client active = server().withCookie(cookieOf(anon.post("/api/auth/login", credentials)), login.id());
        // Seven days pass without a request on the first session; the second was used a day ago.
        server().services().db().txRun(h -> h.createUpdate("UPDATE sessions SET last_active = :t WHERE user_id = :u")
                .bind("t", Instant.now().minus(7, ChronoUnit.DAYS).minus(1, ChronoUnit.MINUTES))
                .bind("u", login.id()).execute());
        assertThat(idle.get("/api/user").status()).isEqualTo(401);
        server().services().db().txRun(h -> h.createUpdate("UPDATE sessions SET last_active = :t WHERE user_id = :u")
                .bind("t", Instant.now().minus(1, ChronoUnit.DAYS)).bind("u", login.id()).execute());
        assertThat(active.get("/api/user").status()).isEqualTo(200);
    }

    @Test
    void anonymousCallersAreUnauthorized() {
        Response response = server().anonymous().get("/api/user");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.error()).isNotBlank();
        assertThat(server().anonymous().withHeader("Authorization", "Bearer not-a-token").get("/api/projects")
                .status()).isEqualTo(401);
        assertThat(server().anonymous().withHeader("Cookie", "semaphore=forged").get("/api/projects").status())
                .isEqualTo(401);
    }

    @Test
    void cookieAuthenticatedChangesFromAnotherSiteAreRefused() {
        Login login = newLogin();
        Response response = server().anonymous().post("/api/auth/login",
                Map.of("auth", login.username(), "password", TestServer.PASSWORD));
        Client session = server().withCookie(cookieOf(response), login.id());
        int tokensBefore = session.get("/api/user/tokens").json().size();
        Response crossSite = session.withHeader("Origin", "http://evil.example")
                .post("/api/user/tokens", "");
        assertThat(crossSite.status()).isEqualTo(403);
        Response fetchMeta = session.withHeader("Sec-Fetch-Site", "cross-site").post("/api/user/tokens", "");
        assertThat(fetchMeta.status()).isEqualTo(403);
        assertThat(session.get("/api/user/tokens").json()).hasSize(tokensBefore);
        String sameOrigin = server().baseUrl();
        assertThat(session.withHeader("Origin", sameOrigin).post("/api/user/tokens", "").status()).isEqualTo(201);
    }

    @Test
    void loginMetadataDescribesPasswordLogin() {
        Response response = server().anonymous().get("/api/auth/login");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("login_with_password").asBoolean()).isTrue();
        assertThat(response.json().get("oidc_providers").isArray()).isTrue();
    }

    @Test
    void pingAnswersPongAsPlainText() {
        Response response = server().anonymous().get("/api/ping");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("pong");
        assertThat(response.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        Response head = server().anonymous().send("HEAD", "/api/ping", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(server().anonymous().send("HEAD", "/api/projects", null).status()).isEqualTo(401);
    }

    @Test
    void unknownRoutesAndMethodsGetJsonErrors() {
        Response unknown = server().newUser("lost").get("/api/no/such/route");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.error()).contains("/api/no/such/route");
    }

    @Test
    void infoHasUpstreamsShape() {
        Response response = server().newUser("info").get("/api/info");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().fieldNames()).toIterable().contains("version", "ansible", "web_host",
                "use_remote_runner", "auth_methods", "premium_features", "git_client", "schedule_timezone");
        assertThat(server().anonymous().get("/api/info").status()).isEqualTo(401);
        // Upstream's UI reads the roles a member may get from here.
        assertThat(response.json().get("roles").findValuesAsText("slug"))
                .containsExactly("owner", "manager", "task_runner", "guest");
    }

    @Test
    void infoAlsoNamesTheDatabaseAndTheInstalledTools() throws InterruptedException {
        Client user = server().newUser("tools");
        assertThat(user.get("/api/info").json().get("database").asText()).isEqualTo(switch (dialect) {
            case SQLITE -> "sqlite";
            case POSTGRES -> "postgres";
            case MYSQL -> "mysql";
        });
        JsonNode tools = user.get("/api/info").json().get("tools");
        for (int i = 0; i < 100 && !tools.has("git"); i++) { // asked once, in the background
            Thread.sleep(100);
            tools = user.get("/api/info").json().get("tools");
        }
        assertThat(tools.get("git").asText()).startsWith("git version");
    }

    @Test
    void aSessionStillOwingItsSecondFactorAuthenticatesNothing() {
        Client user = server().newUser("twofactor");
        var sessions = server().services().sessions();
        String pending = sessions.create(user.userId(), "127.0.0.1", "test",
                dev.semaphore.security.SessionService.Verification.TOTP);
        String done = sessions.create(user.userId(), "127.0.0.1", "test");
        assertThat(server().withCookie("semaphore=" + pending, user.userId()).get("/api/user").status())
                .isEqualTo(401);
        assertThat(server().withCookie("semaphore=" + done, user.userId()).get("/api/user").status())
                .isEqualTo(200);
    }
}
