package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class UsersApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private Map<String, Object> newUserBody(String login) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", login);
        body.put("name", "Name " + login);
        body.put("email", login + "@example.test");
        body.put("password", "pw-" + login);
        body.put("alert", true);
        return body;
    }

    @Test
    void anAdminCreatesAUserWhoCanThenLogIn() {
        Client admin = server().admin();
        String login = TestServer.unique("New");
        Response created = admin.post("/api/users", newUserBody(login));
        assertThat(created.status()).isEqualTo(201);
        JsonNode user = created.json();
        assertThat(user.get("username").asText()).isEqualTo(login);
        assertThat(user.get("email").asText()).isEqualTo(login + "@example.test");
        assertThat(user.get("alert").asBoolean()).isTrue();
        assertThat(user.get("admin").asBoolean()).isFalse();
        assertThat(user.has("password")).isFalse();
        assertThat(user.get("id").asLong()).isPositive();

        Response login1 = server().anonymous().post("/api/auth/login",
                Map.of("auth", login.toLowerCase(), "password", "pw-" + login));
        assertThat(login1.status()).isEqualTo(204);
    }

    @Test
    void aUserCreatedWithoutAPasswordSignsInOnceGivenOne() {
        Client admin = server().admin();
        String login = TestServer.unique("nopw");
        Map<String, Object> body = newUserBody(login);
        body.remove("password");
        Response created = admin.post("/api/users", body);
        assertThat(created.status()).as("upstream creates it").isEqualTo(201);
        long id = created.json().get("id").asLong();
        for (String guess : List.of("x", "pw-" + login)) {
            assertThat(server().anonymous().post("/api/auth/login", Map.of("auth", login, "password", guess)).status())
                    .as("no password signs it in").isEqualTo(401);
        }
        assertThat(admin.post("/api/users/" + id + "/password", Map.of("password", "given-later")).status())
                .isEqualTo(204);
        assertThat(server().anonymous().post("/api/auth/login", Map.of("auth", login, "password", "given-later"))
                .status()).isEqualTo(204);
    }

    @Test
    void duplicatesAndBadBodiesAreRefusedAndChangeNothing() {
        Client admin = server().admin();
        String login = TestServer.unique("dup");
        assertThat(admin.post("/api/users", newUserBody(login)).status()).isEqualTo(201);
        int before = admin.get("/api/users").json().size();

        Map<String, Object> sameLogin = newUserBody(login.toUpperCase());
        sameLogin.put("email", "other-" + login + "@example.test");
        Response dupLogin = admin.post("/api/users", sameLogin);
        assertThat(dupLogin.status()).isEqualTo(400);
        assertThat(dupLogin.error()).contains("login");

        Map<String, Object> sameEmail = newUserBody(TestServer.unique("other"));
        sameEmail.put("email", login.toUpperCase() + "@EXAMPLE.test");
        Response dupEmail = admin.post("/api/users", sameEmail);
        assertThat(dupEmail.status()).isEqualTo(400);
        assertThat(dupEmail.error()).contains("e-mail");

        Map<String, Object> noEmail = newUserBody(TestServer.unique("nomail"));
        noEmail.remove("email");
        assertThat(admin.post("/api/users", noEmail).error()).contains("email");
        Map<String, Object> badType = newUserBody(TestServer.unique("badtype"));
        badType.put("admin", "yes");
        Response wrongType = admin.post("/api/users", badType);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.error()).contains("admin");
        assertThat(admin.post("/api/users", "[1,2]").status()).isEqualTo(400);
        assertThat(admin.post("/api/users", "not json").status()).isEqualTo(400);

        assertThat(admin.get("/api/users").json().size()).isEqualTo(before);
    }

    @Test
    void onlyAdminsCreateUsers() {
        Client user = server().newUser("plain");
        Response response = user.post("/api/users", newUserBody(TestServer.unique("x")));
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void adminsSeeWholeUsersOthersOnlyNamesAndSearchFilters() {
        Client admin = server().admin();
        Client user = server().newUser("lister");
        String login = TestServer.unique("findme");
        admin.post("/api/users", newUserBody(login));

        JsonNode full = admin.get("/api/users?s=" + login).json();
        assertThat(full).hasSize(1);
        assertThat(full.get(0).get("email").asText()).isEqualTo(login + "@example.test");

        JsonNode limited = user.get("/api/users?s=" + login.toUpperCase()).json();
        assertThat(limited).hasSize(1);
        assertThat(limited.get(0).has("email")).isFalse();
        assertThat(limited.get(0).get("username").asText()).isEqualTo(login);
    }

    @Test
    void usersReadAndChangeThemselvesButNotOthers() {
        Client alice = server().newUser("alice");
        Client bob = server().newUser("bob");
        assertThat(alice.get("/api/users/" + alice.userId()).status()).isEqualTo(200);
        assertThat(alice.get("/api/users/" + bob.userId()).status()).isEqualTo(403);
        assertThat(alice.put("/api/users/" + bob.userId(), Map.of("name", "Hacked")).status()).isEqualTo(403);
        assertThat(bob.get("/api/users/" + bob.userId()).json().get("name").asText()).doesNotContain("Hacked");

        assertThat(alice.put("/api/users/" + alice.userId(), Map.of("name", "Alice Liddell")).status())
                .isEqualTo(204);
        assertThat(alice.get("/api/user").json().get("name").asText()).isEqualTo("Alice Liddell");

        Response selfPromotion = alice.put("/api/users/" + alice.userId(), Map.of("admin", true));
        assertThat(selfPromotion.status()).isEqualTo(403);
        assertThat(alice.get("/api/user").json().get("admin").asBoolean()).isFalse();
        assertThat(server().admin().get("/api/users/999999").status()).isEqualTo(404);
        assertThat(alice.get("/api/users/abc").status()).isEqualTo(400);
    }

    @Test
    void anAdminMakesOthersAdminButCannotChangeTheirOwnFlag() {
        Client admin = server().admin();
        Client user = server().newUser("promote");
        assertThat(admin.put("/api/users/" + user.userId(), Map.of("admin", true)).status()).isEqualTo(204);
        assertThat(user.get("/api/user").json().get("admin").asBoolean()).isTrue();
        Response own = admin.put("/api/users/" + admin.userId(), Map.of("admin", false));
        assertThat(own.status()).isEqualTo(400);
        assertThat(admin.get("/api/user").json().get("admin").asBoolean()).isTrue();
    }

    @Test
    void updatesCannotTakeAnotherUsersLogin() {
        Client admin = server().admin();
        Client a = server().newUser("ua");
        Client b = server().newUser("ub");
        String bLogin = b.get("/api/user").json().get("username").asText();
        Response clash = admin.put("/api/users/" + a.userId(), Map.of("username", bLogin));
        assertThat(clash.status()).isEqualTo(400);
        assertThat(a.get("/api/user").json().get("username").asText()).isNotEqualTo(bLogin);
    }

    @Test
    void passwordChangeTakesEffect() {
        Client user = server().newUser("pw");
        String login = user.get("/api/user").json().get("username").asText();
        assertThat(user.post("/api/users/" + user.userId() + "/password", Map.of("password", "new secret",
                "current_password", TestServer.PASSWORD, "keep_tokens", true)).status()).isEqualTo(204);
        assertThat(server().anonymous().post("/api/auth/login", Map.of("auth", login, "password", "new secret"))
                .status()).isEqualTo(204);
        assertThat(server().anonymous().post("/api/auth/login", Map.of("auth", login, "password",
                TestServer.PASSWORD)).status()).isEqualTo(401);
        assertThat(user.post("/api/users/" + user.userId() + "/password", Map.of("password", "",
                "current_password", "new secret")).status()).isEqualTo(400);
        Client other = server().newUser("pwother");
        // As upstream: 401, and the same for a user who does not exist (nothing told of who does).
        assertThat(other.post("/api/users/" + user.userId() + "/password", Map.of("password", "x")).status())
                .isEqualTo(401);
        assertThat(other.post("/api/users/999999/password", Map.of("password", "x")).status()).isEqualTo(401);
    }

    @Test
    void deletingAUserRemovesThemAndTheirAccess() {
        Client admin = server().admin();
        Client user = server().newUser("gone");
        assertThat(admin.delete("/api/users/" + user.userId()).status()).isEqualTo(204);
        assertThat(admin.get("/api/users/" + user.userId()).status()).isEqualTo(404);
        assertThat(user.get("/api/user").status()).isEqualTo(401);
        assertThat(admin.delete("/api/users/" + user.userId()).status()).isEqualTo(404);
    }
}
