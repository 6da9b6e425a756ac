package dev.semaphore.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Codes by e-mail through a real SMTP server (GreenMail): the second step after a password, and sign-in
 * by address and code alone; a code works once, within five tries; a TOTP comes first; an address outside
 * the allowed domains, or one that may not sign in that way, gets nothing.
 */
class EmailOtpTest {
    private static GreenMail smtp;
    private static int smtpPort;

    @BeforeAll
    static void startMail() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterAll
    static void stopMail() {
        smtp.stop();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aPasswordSignInOwesTheMailedCodeOnce(Dialect dialect) throws Exception {
        try (TestServer server = server(dialect, List.of())) {
            Client user = server.newUser("mo");
            String login = user.get("/api/user").json().get("username").asText();
            String email = user.get("/api/user").json().get("email").asText();
            assertThat(server.anonymous().get("/api/auth/login").json().at("/auth_methods/email").isObject()).isTrue();

            Client pending = signIn(server, login);
            Response refused = pending.get("/api/user");
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.error()).isEqualTo("EMAIL_OTP_REQUIRED");
            String code = codeFor(email);
            assertThat(pending.post("/api/auth/verify", Map.of("passcode", other(code))).error())
                    .isEqualTo("INVALID_PASSCODE");
            assertThat(pending.post("/api/auth/login/email/resend", "").status()).as("too soon").isEqualTo(429);
            assertThat(pending.post("/api/auth/verify", Map.of("passcode", code)).status()).isEqualTo(200);
            assertThat(pending.get("/api/user").status()).isEqualTo(200);

            Client again = signIn(server, login);
            String second = codeFor(email);
            assertThat(again.post("/api/auth/verify", Map.of("passcode", code)).status()).as("the old code")
                    .isEqualTo(401);
            for (int i = 0; i < 4; i++) {
                again.post("/api/auth/verify", Map.of("passcode", other(second)));
            }
            assertThat(again.post("/api/auth/verify", Map.of("passcode", second)).status())
                    .as("five wrong tries spend the code").isEqualTo(401);
            assertThat(again.get("/api/user").status()).isEqualTo(401);
            assertThat(user.get("/api/user").status()).as("API tokens are not asked for a code").isEqualTo(200);
        }
    }

    @Test
    void anAddressAndItsCodeSignInAndMayMakeAUser() throws Exception {
        try (TestServer server = server(Dialect.SQLITE, List.of("corp.example"))) {
            Client known = server.newUser("ann");
            String knownEmail = "ann-" + TestServer.unique("x") + "@corp.example";
            server.admin().put("/api/users/" + known.userId(), Map.of("email", knownEmail));

            Client browser = emailLogin(server, knownEmail);
            Client signedIn = verified(server, browser.post("/api/auth/verify", Map.of("passcode", codeFor(knownEmail))));
            assertThat(signedIn.get("/api/user").json().get("id").asLong()).isEqualTo(known.userId());

            String newcomer = TestServer.unique("new") + "@corp.example";
            Client fresh = emailLogin(server, newcomer);
            String code = codeFor(newcomer);
            assertThat(server.admin().get("/api/users").json().findValuesAsText("email"))
                    .as("no user before the code").doesNotContain(newcomer);
            var me = verified(server, fresh.post("/api/auth/verify", Map.of("passcode", code))).get("/api/user").json();
            assertThat(me.get("email").asText()).isEqualTo(newcomer);
            assertThat(me.get("external").asBoolean()).isTrue();

            assertThat(server.anonymous().post("/api/auth/login/email", Map.of("email", "eve@elsewhere.example"))
                    .status()).isEqualTo(400);
        }
        ObjectNode strict = TestDatabases.freshConfigJson(Dialect.SQLITE);
        strict.put("email_host", "127.0.0.1").put("email_port", Integer.toString(smtpPort));
        strict.putObject("auth").put("login_max_failures", 3).putObject("email").put("enabled", true);
        try (TestServer throttled = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(strict))) {
            Client victim = throttled.newUser("victim");
            String address = victim.get("/api/user").json().get("email").asText();
            for (int i = 0; i < 3; i++) {
                assertThat(throttled.anonymous().post("/api/auth/login/email", Map.of("email", address)).status())
                        .isEqualTo(204);
            }
            assertThat(throttled.anonymous().post("/api/auth/login/email", Map.of("email", address)).status())
                    .as("no flood of codes").isEqualTo(429);
        }
        try (TestServer closed = server(Dialect.SQLITE, List.of(), false)) {
            int before = smtp.getReceivedMessages().length;
            String stranger = TestServer.unique("stranger") + "@corp.example";
            Response r = closed.anonymous().post("/api/auth/login/email", Map.of("email", stranger));
            assertThat(r.status()).as("the same answer for any address").isEqualTo(204);
            Thread.sleep(300);
            assertThat(smtp.getReceivedMessages()).hasSize(before);
        }
    }

    private static Client emailLogin(TestServer server, String email) {
        Response started = server.anonymous().post("/api/auth/login/email", Map.of("email", email));
        assertThat(started.status()).as(started.toString()).isEqualTo(204);
        return server.withCookie(started.header("Set-Cookie").split(";")[0], 0);
    }

    /** The session the code made: its cookie, as a browser keeps it. */
    private static Client verified(TestServer server, Response verification) {
        assertThat(verification.status()).as(verification.toString()).isEqualTo(200);
        return server.withCookie(verification.header("Set-Cookie").split(";")[0], 0);
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
    void parallelGuessesAndReplaysOfACodeGetNoMoreThanTheirShare(Dialect dialect) throws Exception {
        try (TestServer server = server(dialect, List.of())) {
            Client user = server.newUser("race");
            String login = user.get("/api/user").json().get("username").asText();
            String email = user.get("/api/user").json().get("email").asText();
            Client guessed = signIn(server, login);
            String code = codeFor(email);
            List<Response> guesses = inParallel(40, () -> guessed.post("/api/auth/verify",
                    Map.of("passcode", other(code))));
            assertThat(guesses.stream().filter(r -> r.status() == 200)).isEmpty();
            // Forty wrong tries at once used up the code's five: none was lost, so the right one is refused now.
            assertThat(guessed.post("/api/auth/verify", Map.of("passcode", code)).status())
                    .as("the right code after the tries are used").isNotEqualTo(200);
            assertThat(guessed.get("/api/user").status()).isEqualTo(401);

            server.admin().delete("/api/auth/lockouts?subject=login:otp:" + user.userId());
            Client replayed = signIn(server, login);
            String fresh = codeFor(email);
            List<Response> replays = inParallel(10, () -> replayed.post("/api/auth/verify", Map.of("passcode", fresh)));
            assertThat(replays.stream().filter(r -> r.status() == 200).count()).as("the code works once").isEqualTo(1);
            assertThat(replayed.get("/api/user").status()).isEqualTo(200);
        }
    }

    private static List<Response> inParallel(int count, java.util.concurrent.Callable<Response> call) throws Exception {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(count)) {
            List<java.util.concurrent.Future<Response>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(call));
            }
            List<Response> out = new java.util.ArrayList<>();
            for (var future : futures) {
                out.add(future.get());
            }
            return out;
        }
    }

    private static String other(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    /** The code in the newest mail to {@code email}, waiting for it to arrive. */
    private static String codeFor(String email) throws Exception {
        Pattern digits = Pattern.compile("code is (\\d{6})");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            MimeMessage[] all = smtp.getReceivedMessages();
            for (int i = all.length - 1; i >= 0; i--) {
                if (all[i].getRecipients(Message.RecipientType.TO)[0].toString().equalsIgnoreCase(email)) {
                    Object content = all[i].getContent();
                    Matcher m = digits.matcher(content instanceof String s ? s
                            : new String(all[i].getInputStream().readAllBytes()));
                    if (m.find() && !used.contains(all[i])) {
                        used.add(all[i]);
                        return m.group(1);
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no code was mailed to " + email);
    }

    private static final java.util.Set<MimeMessage> used = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static Client signIn(TestServer server, String login) {
        Response response = server.anonymous().post("/api/auth/login", Map.of("auth", login, "password",
                TestServer.PASSWORD));
        assertThat(response.status()).isEqualTo(204);
        return server.withCookie(response.header("Set-Cookie").split(";")[0], 0);
    }

    private static TestServer server(Dialect dialect, List<String> domains) {
        return server(dialect, domains, true);
    }

    private static TestServer server(Dialect dialect, List<String> domains, boolean createUsers) {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.put("email_host", "127.0.0.1").put("email_port", Integer.toString(smtpPort))
                .put("email_sender", "semaphore@example.test");
        ObjectNode mail = json.putObject("auth").put("login_address_max_failures", 1_000_000)
                .put("login_max_failures", 1_000_000).putObject("email");
        mail.put("enabled", true).put("allow_create_external_user", createUsers);
        var allowed = mail.putArray("allowed_domains");
        domains.forEach(allowed::add);
        return new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
    }
}
