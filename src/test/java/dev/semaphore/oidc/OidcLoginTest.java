package dev.semaphore.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.OidcServer;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sign-in through a real OpenID provider (mock-oauth2-server in its own process), the way a browser
 * goes: to our login route, to the provider's sign-in form, back to our redirect route with a code.
 * A wrong or missing state, a replayed redirect, an expired ID token, one for another client or with
 * another nonce: refused, and no session. The person is found by (provider, sub), never by e-mail.
 */
class OidcLoginTest {
    private static OidcServer idp;

    @BeforeAll
    static void startProvider() {
        idp = OidcServer.start();
    }

    @AfterAll
    static void stopProvider() {
        idp.close();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aPersonSignsInThroughTheProviderOnceAndAgain(Dialect dialect) throws Exception {
        try (TestServer server = server(dialect, p -> p.put("name_claim", "name | preferred_username"))) {
            JsonNode metadata = server.anonymous().get("/api/auth/login").json();
            assertThat(metadata.at("/oidc_providers/0/id").asText()).isEqualTo("corp");
            assertThat(metadata.at("/oidc_providers/0/name").asText()).isEqualTo("Corp SSO");

            String sub = TestServer.unique("sub");
            String login = TestServer.unique("olivia");
            Browser browser = new Browser();
            HttpResponse<String> back = signIn(server, browser, sub, Map.of("preferred_username", login,
                    "email", login + "@corp.example", "email_verified", true, "name", "Olivia"), "/project/7");
            assertThat(back.statusCode()).isEqualTo(302);
            assertThat(back.headers().firstValue("Location").orElseThrow()).isEqualTo("/project/7");
            Client olivia = session(server, browser);
            JsonNode me = olivia.get("/api/user").json();
            assertThat(me.get("username").asText()).isEqualTo(login);
            assertThat(me.get("email").asText()).isEqualTo(login + "@corp.example");
            assertThat(me.get("external").asBoolean()).isTrue();
            JsonNode identities = olivia.get("/api/users/" + me.get("id").asLong() + "/identities").json();
            assertThat(identities.get(0).get("type").asText()).isEqualTo("oidc");
            assertThat(identities.get(0).get("provider").asText()).isEqualTo("corp");
            assertThat(identities.get(0).get("external_uid").asText()).isEqualTo(sub);

            Browser again = new Browser();
            signIn(server, again, sub, Map.of("preferred_username", "renamed-" + login,
                    "email", "new-" + login + "@corp.example", "name", "Olivia B."), "/");
            JsonNode second = session(server, again).get("/api/user").json();
            assertThat(second.get("id").asLong()).as("found by sub, not by login").isEqualTo(me.get("id").asLong());
            assertThat(second.get("email").asText()).isEqualTo("new-" + login + "@corp.example");
            assertThat(second.get("name").asText()).isEqualTo("Olivia B.");
        }
    }

    @Test
    void aForgedReplayedExpiredOrMisdirectedSignInGivesNoSession() throws Exception {
        try (TestServer server = server(Dialect.SQLITE, p -> { })) {
            Map<String, Object> claims = Map.of("preferred_username", TestServer.unique("mallory"),
                    "email", TestServer.unique("m") + "@corp.example");

            Browser forged = new Browser();
            String redirect = toProvider(server, forged, "s1", claims);
            assertRefused(server, forged, redirect.replaceAll("state=[^&]+", "state=forged"), "not started in this browser");

            Browser other = new Browser();
            String stolen = toProvider(server, other, "s2", claims);
            assertRefused(server, new Browser(), stolen, "not started in this browser");

            Browser replay = new Browser();
            String once = toProvider(server, replay, "s3", claims);
            String state = replay.cookie(server.baseUrl(), "oauthstate");
            assertThat(replay.get(once).headers().firstValue("Location").orElseThrow()).isEqualTo("/");
            replay.dropCookie(server.baseUrl(), "semaphore");
            Browser replayer = new Browser();
            replayer.get(server.baseUrl() + "/api/auth/oidc/corp/login");
            replayer.dropCookie(server.baseUrl(), "oauthstate");
            replayer = withCookie(replayer, server, "oauthstate", state);
            assertRefused(server, replayer, once, "used already");

            long now = System.currentTimeMillis() / 1000;
            Browser expired = new Browser();
            assertRefused(server, expired, toProvider(server, expired, "s4", Map.of("exp", now - 3600, "iat", now - 7200,
                    "preferred_username", "late", "email", "late@corp.example")), "does not verify");

            Browser misdirected = new Browser();
            assertRefused(server, misdirected, toProvider(server, misdirected, "s5", Map.of("aud", "someone-else",
                    "preferred_username", "aud", "email", "aud@corp.example")), "does not verify");

            Browser nonce = new Browser();
            assertRefused(server, nonce, toProvider(server, nonce, "s6", Map.of("nonce", "not-ours",
                    "preferred_username", "nonce", "email", "nonce@corp.example")), "does not verify");

            assertThat(server.admin().get("/api/users").json().findValuesAsText("username"))
                    .doesNotContain("late", "aud", "nonce");
        }
    }

    @Test
    void anAccountIsNeverTakenByItsEmailButAnAdminCanLinkIt() throws Exception {
        try (TestServer server = server(Dialect.SQLITE, p -> { })) {
            Client local = server.newUser("lena");
            JsonNode me = local.get("/api/user").json();
            String email = me.get("email").asText();
            Browser browser = new Browser();
            String sub = TestServer.unique("sub");
            String claimedLogin = me.get("username").asText();
            Map<String, Object> claims = Map.of("preferred_username", claimedLogin, "email", email,
                    "email_verified", true);
            // The local account's login and e-mail are its own unchecked claims: the person signs in all the same,
            // as an account of their own, and the local account is neither taken nor changed.
            signIn(server, browser, sub, claims, "/");
            JsonNode own = session(server, browser).get("/api/user").json();
            assertThat(own.get("id").asLong()).isNotEqualTo(local.userId());
            assertThat(own.get("username").asText()).isEqualTo(claimedLogin + "@corp");
            assertThat(own.get("email").asText()).endsWith("@corp.invalid");
            assertThat(local.get("/api/user").json()).isEqualTo(me);

            Client admin = server.admin();
            String known = TestServer.unique("sub");
            assertThat(admin.post("/api/users/" + local.userId() + "/identities",
                    Map.of("type", "oidc", "provider", "corp", "external_uid", known)).status()).isEqualTo(201);
            Browser linked = new Browser();
            signIn(server, linked, known, claims, "/");
            assertThat(session(server, linked).get("/api/user").json().get("id").asLong()).isEqualTo(local.userId());
            assertThat(session(server, linked).get("/api/user").json().get("external").asBoolean())
                    .as("still a local account, with its password").isFalse();

            // An external user from before identities (an upstream import): adopted once by its verified e-mail.
            var legacy = server.services().users().create(null, new dev.semaphore.user.UserService.NewUser(
                    TestServer.unique("legacy"), "Legacy", TestServer.unique("legacy") + "@corp.example", null,
                    false, true, false));
            Browser unverified = new Browser();
            signIn(server, unverified, TestServer.unique("sub"), Map.of("preferred_username", TestServer.unique("x"),
                    "email", legacy.email()), "/");
            assertThat(session(server, unverified).get("/api/user").json().get("id").asLong())
                    .as("an unverified e-mail adopts nobody").isNotEqualTo(legacy.id());
            Browser adopt = new Browser();
            String legacySub = TestServer.unique("sub");
            signIn(server, adopt, legacySub, Map.of("preferred_username", legacy.username(), "email", legacy.email(),
                    "email_verified", true), "/");
            assertThat(session(server, adopt).get("/api/user").json().get("id").asLong()).isEqualTo(legacy.id());
            Browser someoneElse = new Browser();
            signIn(server, someoneElse, TestServer.unique("sub"), Map.of("preferred_username", TestServer.unique("y"),
                    "email", legacy.email(), "email_verified", true), "/");
            assertThat(session(server, someoneElse).get("/api/user").json().get("id").asLong())
                    .as("adopted once only").isNotEqualTo(legacy.id());
        }
    }

    @Test
    void groupsInTheTokenBecomeRolesAndPasswordLoginCanBeOff() throws Exception {
        String group = TestServer.unique("deployers");
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        long project;
        try (TestServer first = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            project = first.admin().post("/api/projects", Map.of("name", TestServer.unique("P"))).json().get("id").asLong();
        }
        json.put("password_login_disable", true);
        json.putObject("auth").put("login_address_max_failures", 1_000_000).putObject("totp").put("enabled", true);
        ObjectNode corp = json.putObject("oidc_providers").putObject("corp");
        corp.put("provider_url", idp.issuer("corp")).put("client_id", "semaphore").put("client_secret", "s3cret");
        corp.putObject("group_roles").putObject(group).putObject("projects").put(Long.toString(project), "task_runner");
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            assertThat(server.anonymous().get("/api/auth/login").json().get("login_with_password").asBoolean()).isFalse();
            Client admin = server.admin();
            String sub = TestServer.unique("sub");
            String login = TestServer.unique("gus");
            Browser browser = new Browser();
            signIn(server, browser, sub, Map.of("preferred_username", login, "email", login + "@corp.example",
                    "groups", java.util.List.of(group, "other")), "/");
            Client gus = session(server, browser);
            long id = gus.get("/api/user").json().get("id").asLong();
            assertThat(admin.get("/api/project/" + project + "/users").json().findValuesAsText("role"))
                    .contains("task_runner");
            assertThat(server.anonymous().post("/api/auth/login", Map.of("auth", login, "password", "x")).status())
                    .isEqualTo(401);

            // With a TOTP, a session from the provider still owes the code.
            assertThat(gus.post("/api/users/" + id + "/2fas/totp", "").status()).isEqualTo(200);
            Browser withTotp = new Browser();
            signIn(server, withTotp, sub, Map.of("preferred_username", login, "email", login + "@corp.example"), "/");
            assertThat(session(server, withTotp).get("/api/user").error()).isEqualTo("TOTP_REQUIRED");
            assertThat(admin.get("/api/project/" + project + "/users").json().findValuesAsText("username"))
                    .as("out of the group: out of the project").doesNotContain(login);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aGenuineSignInNeverSendsTheBrowserToAnotherSite(Dialect dialect) throws Exception {
        try (TestServer server = server(dialect, p -> { })) {
            List<String> bypasses = List.of("//evil.example", "/\t/evil.example", "/\n/evil.example",
                    "/\r\n/evil.example", "/\\evil.example", "/\\/evil.example", "\\/evil.example",
                    "https://evil.example", " //evil.example", "/\u0000/evil.example", "/\u3000/evil.example");
            for (String bypass : bypasses) {
                Browser browser = new Browser();
                String login = TestServer.unique("r");
                HttpResponse<String> back = signIn(server, browser, TestServer.unique("sub"), Map.of(
                        "preferred_username", login, "email", login + "@corp.example"), bypass);
                assertThat(back.headers().firstValue("Location").orElseThrow()).as(bypass).isEqualTo("/");
            }
            // The same through the redirect's own path (/redirect/<path>), which the browser may carry back.
            for (String bypass : List.of("%09%2Fevil.example", "%2Fevil.example", "%5Cevil.example", "%0A/evil.example")) {
                Browser browser = new Browser();
                String login = TestServer.unique("p");
                String back = toProvider(server, browser, TestServer.unique("sub"), Map.of(
                        "preferred_username", login, "email", login + "@corp.example"));
                String withPath = back.replace("/redirect?", "/redirect/" + bypass + "?");
                assertThat(browser.get(withPath).headers().firstValue("Location").orElseThrow()).as(bypass)
                        .isEqualTo("/");
            }
            Browser fine = new Browser();
            String login = TestServer.unique("f");
            assertThat(signIn(server, fine, TestServer.unique("sub"), Map.of("preferred_username", login,
                    "email", login + "@corp.example"),
                    "/project/3/history?x=1").headers().firstValue("Location").orElseThrow())
                    .isEqualTo("/project/3/history?x=1");
        }
    }

    @Test
    void aSignInStartedOnOneServerEndsOnAnotherOnce() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.POSTGRES);
        json.putObject("oidc_providers").putObject("corp").put("provider_url", idp.issuer("corp"))
                .put("client_id", "semaphore").put("client_secret", "s3cret");
        var config = new ConfigLoader(Map.of()).fromJson(json);
        try (TestServer first = new TestServer(Dialect.POSTGRES, config);
             TestServer second = new TestServer(Dialect.POSTGRES, config)) {
            Browser browser = new Browser();
            String back = toProvider(first, browser, TestServer.unique("sub"), Map.of("preferred_username",
                    TestServer.unique("two"), "email", TestServer.unique("two") + "@corp.example"));
            // Behind a load balancer the browser may come back to the other process.
            String state = browser.cookie(first.baseUrl(), "oauthstate");
            Browser atSecond = withCookie(new Browser(), second, "oauthstate", state);
            String there = back.replace(first.baseUrl(), second.baseUrl());
            assertThat(atSecond.get(there).headers().firstValue("Location").orElseThrow()).isEqualTo("/");
            assertThat(session(second, atSecond).get("/api/user").status()).isEqualTo(200);
            assertRefused(first, browser, back, "used already");
        }
    }

    private static Browser withCookie(Browser browser, TestServer server, String name, String value) {
        browser.setCookie(server.baseUrl(), name, value);
        return browser;
    }

    private static void assertRefused(TestServer server, Browser browser, String redirect, String why) {
        HttpResponse<String> response = browser.get(redirect);
        assertThat(response.statusCode()).isEqualTo(302);
        String location = java.net.URLDecoder.decode(response.headers().firstValue("Location").orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(location).startsWith("/auth/login?error=").contains(why);
        assertThat(browser.cookie(server.baseUrl(), "semaphore")).isNull();
    }

    /** Starts a sign-in and passes the provider's form; returns the URL the provider sends the browser back to. */
    static String toProvider(TestServer server, Browser browser, String sub, Map<String, Object> claims) {
        return toProvider(server, browser, sub, claims, "/");
    }

    static String toProvider(TestServer server, Browser browser, String sub, Map<String, Object> claims,
                             String returnTo) {
        HttpResponse<String> start = browser.get(server.baseUrl() + "/api/auth/oidc/corp/login?return_to="
                + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).contains("code_challenge_method=S256").contains("nonce=").contains("state=");
        assertThat(browser.get(authorize).statusCode()).as("the provider's sign-in form").isEqualTo(200);
        HttpResponse<String> form;
        try {
            form = browser.postForm(authorize, Map.of("username", sub, "claims",
                    Json.mapper().writeValueAsString(claims)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertThat(form.statusCode()).as(form.body()).isEqualTo(302);
        String back = form.headers().firstValue("Location").orElseThrow();
        assertThat(back).startsWith(server.baseUrl() + "/api/auth/oidc/corp/redirect");
        return back;
    }

    static HttpResponse<String> signIn(TestServer server, Browser browser, String sub, Map<String, Object> claims,
                                       String returnTo) {
        return browser.get(toProvider(server, browser, sub, claims, returnTo));
    }

    static Client session(TestServer server, Browser browser) {
        String cookie = browser.cookie(server.baseUrl(), "semaphore");
        assertThat(cookie).as("a session cookie").isNotNull();
        return server.withCookie("semaphore=" + cookie, 0);
    }

    static TestServer server(Dialect dialect, Consumer<ObjectNode> provider) {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        ObjectNode corp = json.putObject("oidc_providers").putObject("corp");
        corp.put("display_name", "Corp SSO").put("provider_url", idp.issuer("corp")).put("client_id", "semaphore")
                .put("client_secret", "s3cret").put("color", "teal");
        provider.accept(corp);
        return new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
    }
}
