package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alerts reach a real SMTP server (GreenMail) and real HTTP receivers standing in for each chat
 * service's endpoint (the services themselves are on the internet, which this machine cannot reach).
 */
class AlertsTest {
    private static final String WEB_HOST = "https://semaphore.test";
    private static GreenMail smtp;
    private static HttpServer receiver;
    private static final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    /** The next Slack message containing this text is answered 500 (once); null: none is. */
    private static final java.util.concurrent.atomic.AtomicReference<String> failSlackOnce =
            new java.util.concurrent.atomic.AtomicReference<>();
    private static TestServer server;
    private static Path scripts;

    @BeforeAll
    static void start() throws Exception {
        int smtpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            String marker = failSlackOnce.get();
            if (path.equals("/slack") && marker != null && new String(body, StandardCharsets.UTF_8).contains(marker)
                    && failSlackOnce.compareAndSet(marker, null)) {
                status = 500;
            }
            ObjectNode record = (ObjectNode) Json.mapper().readTree(body);
            record.put("_query", query == null ? "" : query);
            record.put("_status", status);
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(record);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        ObjectNode config = TestDatabases.freshConfigJson(Dialect.SQLITE);
        config.put("web_host", WEB_HOST);
        config.put("email_alert", true).put("email_host", "127.0.0.1").put("email_port", String.valueOf(smtpPort))
                .put("email_sender", "semaphore@example.test");
        config.put("slack_alert", true).put("slack_url", base + "/slack");
        config.put("rocketchat_alert", true).put("rocketchat_url", base + "/rocketchat");
        config.put("microsoft_teams_alert", true).put("microsoft_teams_url", base + "/teams");
        config.put("dingtalk_alert", true).put("dingtalk_url", base + "/dingtalk");
        config.put("gotify_alert", true).put("gotify_url", base + "/gotify").put("gotify_token", "g-token");
        config.put("telegram_alert", true).put("telegram_url", base + "/tg").put("telegram_token", "tg-token")
                .put("telegram_chat", "default-chat");
        server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(config));
        scripts = Files.createTempDirectory(TestDatabases.tempDir(), "alerts");
        Files.writeString(scripts.resolve("ok.sh"), "echo fine\n");
        Files.writeString(scripts.resolve("fail.sh"), "echo broken\nexit 1\n");
        Files.createDirectories(scripts.resolve("infra"));
        Files.writeString(scripts.resolve("infra/main.tf"), "resource \"terraform_data\" \"x\" {\n  input = 1\n}\n");
    }

    @AfterAll
    static void stop() {
        server.close();
        receiver.stop(0);
        smtp.stop();
    }

    private record Setup(ProjectFixture p, long ok, long fail, long quiet, Client member) {
    }

    /** A project with alerts on (chat "chat-42"), its owner asking for mail, a member who does not. */
    private static Setup setup(boolean alert) {
        ProjectFixture p = ProjectFixture.create(server, "alerts");
        assertThat(p.admin().put(p.path(""), Map.of("name", TestServer.unique("alerts"), "alert", alert,
                "alert_chat", "chat-42")).status()).isEqualTo(204);
        assertThat(p.admin().put("/api/users/" + p.admin().userId(), Map.of("alert", true)).status()).isEqualTo(204);
        Client member = server.newUser("quiet");
        assertThat(p.admin().post(p.path("/users"), Map.of("user_id", member.userId(), "role", "manager"))
                .status()).isEqualTo(204);
        long repository = p.create("/repositories", Map.of("name", "scripts", "git_url", scripts.toString(),
                "git_branch", "", "ssh_key_id", p.noneKey()));
        long ok = p.create("/templates", Map.of("name", "deploy-ok", "app", "bash", "playbook", "ok.sh",
                "repository_id", repository));
        long fail = p.create("/templates", Map.of("name", "deploy-fail", "app", "bash", "playbook", "fail.sh",
                "repository_id", repository));
        long quiet = p.create("/templates", Map.of("name", "quiet-ok", "app", "bash", "playbook", "ok.sh",
                "repository_id", repository, "suppress_success_alerts", true));
        return new Setup(p, ok, fail, quiet, member);
    }

    /** Messages that reached a receiver and mention {@code needle} ("#12" matches task 12, not 120). */
    private static List<JsonNode> messagesAbout(String path, String needle) {
        java.util.regex.Pattern mention = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(needle) + (needle.startsWith("#") ? "(?!\\d)" : ""));
        return received.getOrDefault(path, List.of()).stream()
                .filter(m -> mention.matcher(m.toString()).find() && m.get("_status").asInt() == 200).toList();
    }

    private static void awaitMessages(String needle, String... paths) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (List.of(paths).stream().allMatch(path -> !messagesAbout(path, needle).isEmpty())) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no message containing " + needle + " reached every receiver: " + received);
    }

    private static final String[] CHATS = {"/slack", "/rocketchat", "/teams", "/dingtalk", "/gotify/message",
            "/tg/bottg-token/sendMessage"};

    @Test
    void everyChannelHearsOfSuccessAndFailureAndOnlyFailuresAreMailed() throws Exception {
        Setup s = setup(true);
        long quiet = s.p().run(s.quiet(), Map.of()).get("id").asLong();
        s.p().await(quiet, "success");
        long ok = s.p().run(s.ok(), Map.of()).get("id").asLong();
        s.p().await(ok, "success");
        awaitMessages("#" + ok, CHATS);
        long fail = s.p().run(s.fail(), Map.of()).get("id").asLong();
        s.p().await(fail, "error");
        awaitMessages("#" + fail, CHATS);

        String link = WEB_HOST + "/project/" + s.p().project() + "/templates/" + s.ok() + "?t=" + ok;
        JsonNode slack = messagesAbout("/slack", "#" + ok).get(0).get("attachments").get(0);
        assertThat(slack.get("title").asText()).isEqualTo("Task: deploy-ok");
        assertThat(slack.get("title_link").asText()).isEqualTo(link);
        assertThat(slack.get("text").asText()).isEqualTo("execution #" + ok + ", status: SUCCESS!");
        assertThat(slack.get("color").asText()).isEqualTo("good");
        JsonNode telegram = messagesAbout("/tg/bottg-token/sendMessage", "#" + fail).get(0);
        assertThat(telegram.get("chat_id").asText()).isEqualTo("chat-42");
        assertThat(telegram.get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(telegram.get("text").asText()).contains("deploy-fail").contains("ERROR");
        assertThat(messagesAbout("/gotify/message", "#" + ok).get(0).get("_query").asText())
                .isEqualTo("token=g-token");
        assertThat(messagesAbout("/teams", "#" + ok).get(0).get("attachments").get(0).get("contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(messagesAbout("/dingtalk", "#" + ok).get(0).get("msgtype").asText()).isEqualTo("markdown");
        // upstream 2.17+: a template may keep quiet about its failures too
        long quietFail = s.p().create("/templates", Map.of("name", "quiet-fail", "app", "bash", "playbook", "fail.sh",
                "repository_id", s.p().admin().get(s.p().path("/templates/" + s.fail())).json().get("repository_id")
                        .asLong(), "suppress_error_alerts", true));
        assertThat(s.p().admin().get(s.p().path("/templates/" + quietFail)).json().get("suppress_error_alerts")
                .asBoolean()).isTrue();
        long failedQuietly = s.p().run(quietFail, Map.of()).get("id").asLong();
        s.p().await(failedQuietly, "error");
        long after = s.p().run(s.fail(), Map.of()).get("id").asLong();
        s.p().await(after, "error");
        awaitMessages("#" + after, CHATS);
        for (String chat : CHATS) {
            assertThat(messagesAbout(chat, "#" + quiet)).as(chat + " told of a suppressed success").isEmpty();
            assertThat(messagesAbout(chat, "#" + failedQuietly)).as(chat + " told of a suppressed failure").isEmpty();
        }

        String owner = "Task 'deploy-fail' failed";
        long deadline = System.currentTimeMillis() + 10_000;
        List<MimeMessage> mails = List.of();
        while (System.currentTimeMillis() < deadline) {
            mails = List.of(smtp.getReceivedMessages()).stream().filter(m -> subject(m).equals(owner)
                    && body(m).contains("?t=" + fail)).toList();
            if (!mails.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(mails).hasSize(1);
        assertThat(List.of(smtp.getReceivedMessages())).noneMatch(m -> body(m).contains("?t=" + failedQuietly));
        String recipients = String.join(",", List.of(mails.get(0).getAllRecipients()).stream()
                .map(Object::toString).toList());
        JsonNode ownerUser = s.p().admin().get("/api/users/" + s.p().admin().userId()).json();
        JsonNode memberUser = s.p().admin().get("/api/users/" + s.member().userId()).json();
        assertThat(recipients).contains(ownerUser.get("email").asText())
                .doesNotContain(memberUser.get("email").asText());
        assertThat(List.of(smtp.getReceivedMessages())).noneMatch(m -> body(m).contains("?t=" + ok));
    }

    @Test
    void aPlanWaitingForConfirmationIsAnnouncedToTheChats() throws Exception {
        Setup s = setup(true);
        long repository = s.p().create("/repositories", Map.of("name", "infra", "git_url", scripts.toString(),
                "git_branch", "", "ssh_key_id", s.p().noneKey()));
        long infra = s.p().create("/templates", Map.of("name", "infra-plan", "app", "terraform", "playbook", "infra",
                "repository_id", repository));
        long id = s.p().run(infra, Map.of()).get("id").asLong();
        JsonNode paused = s.p().await(id, 120_000, "waiting_confirmation", "error", "success");
        assertThat(paused.get("status").asText()).as(s.p().plainOutput(id)).isEqualTo("waiting_confirmation");
        awaitMessages("#" + id, "/slack", "/tg/bottg-token/sendMessage");
        assertThat(messagesAbout("/slack", "#" + id).get(0).get("attachments").get(0).get("text").asText())
                .isEqualTo("execution #" + id + ", status: WAITING_CONFIRMATION!");
        s.p().admin().post(s.p().path("/tasks/" + id + "/reject"), Map.of());
        s.p().await(id, 60_000, "error");
    }

    @Test
    void aProjectWithoutAlertsTellsNobodyAndRefusesATest() throws Exception {
        Setup s = setup(false);
        long fail = s.p().run(s.fail(), Map.of()).get("id").asLong();
        s.p().await(fail, "error");
        Response test = s.p().admin().post(s.p().path("/notifications/test"), Map.of());
        assertThat(test.status()).isEqualTo(409);
        assertThat(test.json().get("error").asText()).contains("not enabled");
        Thread.sleep(1000);
        for (String chat : CHATS) {
            assertThat(messagesAbout(chat, "#" + fail)).isEmpty();
        }
    }

    @Test
    void aTestNotificationReachesEveryChannelAndAFailingChannelIsRetried() throws Exception {
        Setup s = setup(true);
        String name = s.p().admin().get(s.p().path("")).json().get("name").asText();
        failSlackOnce.set(name);
        Response test = s.p().admin().post(s.p().path("/notifications/test"), Map.of());
        assertThat(test.status()).as(test.toString()).isEqualTo(204);
        awaitMessages(name, CHATS);
        assertThat(received.get("/slack").stream().filter(m -> m.toString().contains(name)))
                .extracting(m -> m.get("_status").asInt()).containsExactly(500, 200);
        assertThat(List.of(smtp.getReceivedMessages()))
                .anyMatch(m -> subject(m).equals("Test notification from Semaphore") && body(m).contains(name));
        Client guest = server.newUser("guest");
        s.p().admin().post(s.p().path("/users"), Map.of("user_id", guest.userId(), "role", "guest"));
        assertThat(guest.post(s.p().path("/notifications/test"), Map.of()).status()).isEqualTo(403);
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(MimeMessage m) {
        try {
            Object content = m.getContent();
            return content instanceof String text ? text
                    : new String(m.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
