package dev.semaphore.totp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TOTP through the API as upstream's clients use it: a user adds one (otpauth address, QR code,
 * recovery code), signs in with the password and then a code computed here (RFC 6238), never with the
 * same code twice, and once with the recovery code; until then the session authenticates nothing and
 * says why (TOTP_REQUIRED).
 */
class TotpApiTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void aSignInWithATotpNeedsACodeOnceAndTheRecoveryCodeWorksOnce(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("auth").put("login_address_max_failures", 1_000_000).putObject("totp").put("enabled", true)
                .put("allow_recovery", true);
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            Client user = server.newUser("otp");
            String login = user.get("/api/user").json().get("username").asText();
            long id = user.userId();
            assertThat(server.anonymous().get("/api/auth/login").json().at("/auth_methods/totp/allow_recovery")
                    .asBoolean()).isTrue();

            Response added = user.post("/api/users/" + id + "/2fas/totp", "");
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            String url = added.json().get("url").asText();
            assertThat(url).startsWith("otpauth://totp/").contains("issuer=Semaphore");
            String recovery = added.json().get("recovery_code").asText();
            assertThat(recovery).hasSize(16);
            String secret = URLDecoder.decode(url.replaceAll(".*[?&]secret=([^&]+).*", "$1"), StandardCharsets.UTF_8);
            long totpId = added.json().get("id").asLong();
            Response qr = user.get("/api/users/" + id + "/2fas/totp/" + totpId + "/qr");
            assertThat(qr.status()).isEqualTo(200);
            assertThat(qr.header("Content-Type")).contains("image/png");
            assertThat(user.post("/api/users/" + id + "/2fas/totp", "").status()).as("one at a time").isEqualTo(400);
            Client other = server.newUser("other");
            assertThat(other.post("/api/users/" + id + "/2fas/totp", "").status()).isEqualTo(403);
            assertThat(other.delete("/api/users/" + id + "/2fas/totp/" + totpId).status()).isEqualTo(403);

            Client pending = signIn(server, login, id);
            Response refused = pending.get("/api/user");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.error()).isEqualTo("TOTP_REQUIRED");
            String code = code(secret);
            String wrong = code.equals("000000") ? "111111" : "000000";
            Response bad = pending.post("/api/auth/verify", Map.of("passcode", wrong));
            assertThat(bad.status()).isEqualTo(401);
            assertThat(bad.error()).isEqualTo("INVALID_PASSCODE");
            assertThat(pending.post("/api/auth/verify", Map.of("passcode", code)).status()).isEqualTo(200);
            assertThat(pending.get("/api/user").status()).isEqualTo(200);
            // upstream's user objects carry the TOTP once there is one (never the recovery code)
            JsonNode self = pending.get("/api/user").json();
            assertThat(self.get("totp").get("id").asLong()).isEqualTo(totpId);
            assertThat(self.get("totp").has("recovery_code")).isFalse();
            assertThat(server.admin().get("/api/users/" + id).json().get("totp").get("user_id").asLong()).isEqualTo(id);
            assertThat(server.admin().get("/api/user").json().has("totp")).as("none for a user without one").isFalse();

            Client again = signIn(server, login, id);
            assertThat(again.post("/api/auth/verify", Map.of("passcode", code)).status())
                    .as("a code is never accepted twice").isEqualTo(401);
            assertThat(again.post("/api/auth/recovery", Map.of("recovery_code", "NOT-THE-CODE")).status())
                    .isEqualTo(401);
            assertThat(again.post("/api/auth/recovery", Map.of("recovery_code", recovery)).status()).isEqualTo(204);
            assertThat(again.get("/api/user").status()).isEqualTo(200);

            Client plain = signIn(server, login, id);
            assertThat(plain.get("/api/user").status()).as("the recovery code removed the TOTP").isEqualTo(200);
            assertThat(user.get("/api/user").status()).as("API tokens are not asked for a code").isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "MYSQL"})
    void aPolicyLeadsAdminsThroughAddingATotpAtSignIn(Dialect dialect) throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("auth").put("login_address_max_failures", 1_000_000).putObject("totp").put("enabled", true)
                .put("required", "admins");
        try (TestServer server = new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = server.admin();
            String login = admin.get("/api/user").json().get("username").asText();
            Client user = server.newUser("plain");
            String userLogin = user.get("/api/user").json().get("username").asText();
            assertThat(signIn(server, userLogin, user.userId()).get("/api/user").status())
                    .as("not an admin: no TOTP needed").isEqualTo(200);

            Client pending = signIn(server, login, admin.userId());
            assertThat(pending.get("/api/user").error()).isEqualTo("TOTP_ENROLMENT_REQUIRED");
            assertThat(pending.get("/api/projects").status()).isEqualTo(401);
            assertThat(server.anonymous().post("/api/auth/totp", "").status()).as("no sign-in of one's own")
                    .isEqualTo(401);
            Response added = pending.post("/api/auth/totp", "");
            assertThat(added.status()).as(added.toString()).isEqualTo(200);
            String secret = URLDecoder.decode(added.json().get("url").asText().replaceAll(".*[?&]secret=([^&]+).*", "$1"),
                    StandardCharsets.UTF_8);
            assertThat(pending.get("/api/auth/totp/" + added.json().get("id").asLong() + "/qr").header("Content-Type"))
                    .contains("image/png");
            assertThat(pending.get("/api/user").status()).as("not until its first code").isEqualTo(401);
            assertThat(pending.post("/api/auth/verify", Map.of("passcode", code(secret))).status()).isEqualTo(200);
            assertThat(pending.get("/api/user").status()).isEqualTo(200);

            assertThat(signIn(server, login, admin.userId()).get("/api/user").error())
                    .as("from now on, the code").isEqualTo("TOTP_REQUIRED");
            long totpId = added.json().get("id").asLong();
            assertThat(pending.delete("/api/users/" + admin.userId() + "/2fas/totp/" + totpId).status())
                    .as("not one's own, while required").isEqualTo(403);
            var factors = server.admin().get("/api/users/factors");
            assertThat(factors.status()).as(factors.toString()).isEqualTo(200);
            assertThat(factors.json().at("/" + admin.userId() + "/totp").asBoolean()).isTrue();
            assertThat(user.get("/api/users/factors").status()).isEqualTo(403);
            assertThat(server.anonymous().get("/api/auth/login").json().at("/auth_methods/totp/required").asText())
                    .isEqualTo("admins");
        }
    }

    @org.junit.jupiter.api.Test
    void theCliAddsShowsAndRemovesAUsersTotp() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.putObject("auth").put("login_address_max_failures", 1_000_000).putObject("totp").put("enabled", true);
        java.nio.file.Path config = java.nio.file.Files.createTempDirectory(TestDatabases.tempDir(), "totp-cli")
                .resolve("config.json");
        java.nio.file.Files.writeString(config, json.toString());
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client user = server.newUser("clitotp");
            String login = user.get("/api/user").json().get("username").asText();
            String[] base = {"--login", login, "--config", config.toString()};
            assertThat(run("user", "totp", "show", base)).as("none yet").isNotZero();
            assertThat(run("user", "totp", "enable", base)).isZero();
            assertThat(signIn(server, login, user.userId()).get("/api/user").error()).isEqualTo("TOTP_REQUIRED");
            assertThat(run("user", "totp", "show", base)).isZero();
            assertThat(run("user", "totp", "disable", base)).isZero();
            assertThat(signIn(server, login, user.userId()).get("/api/user").status()).isEqualTo(200);
        }
        ObjectNode off = json.deepCopy();
        ((ObjectNode) off.get("auth").get("totp")).put("enabled", false);
        java.nio.file.Files.writeString(config, off.toString());
        assertThat(run("user", "totp", "enable", "--login", "nobody", "--config", config.toString())).isNotZero();
    }

    private static int run(String a, String b, String c, String... rest) {
        String[] args = new String[3 + rest.length];
        args[0] = a;
        args[1] = b;
        args[2] = c;
        System.arraycopy(rest, 0, args, 3, rest.length);
        return dev.semaphore.cli.SemaphoreCommand.run(args);
    }

    private static Client signIn(TestServer server, String login, long id) {
        Response response = server.anonymous().post("/api/auth/login", Map.of("auth", login, "password",
                TestServer.PASSWORD));
        assertThat(response.status()).isEqualTo(204);
        return server.withCookie(response.header("Set-Cookie").split(";")[0], id);
    }

    private static String code(String secret) throws Exception {
        long step = System.currentTimeMillis() / 1000 / 30;
        return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, step);
    }

}
