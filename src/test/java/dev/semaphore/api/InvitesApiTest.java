package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.addMember;
import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import dev.semaphore.user.UserService;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Project invitations on a server that allows them by user and by e-mail, and on one that does not. */
@ParameterizedClass
@EnumSource(Dialect.class)
class InvitesApiTest {
    private static final Map<Dialect, TestServer> SERVERS = new EnumMap<>(Dialect.class);
    /** A real SMTP server: invitations by e-mail are sent to it. */
    private static com.icegreen.greenmail.util.GreenMail smtp;
    private static int smtpPort;

    @org.junit.jupiter.api.BeforeAll
    static void startMail() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        smtp = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup(smtpPort,
                "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopMail() {
        smtp.stop();
    }

    @Parameter
    Dialect dialect;

    private TestServer server() {
        synchronized (SERVERS) {
            return SERVERS.computeIfAbsent(dialect, d -> {
                ObjectNode config = TestDatabases.freshConfigJson(d);
                config.putObject("teams").put("invites_enabled", true).put("invite_type", "both");
                config.put("email_alert", true).put("email_host", "127.0.0.1").put("email_port", String.valueOf(smtpPort))
                        .put("email_sender", "semaphore@example.test").put("web_host", "https://ci.example.test");
                return new TestServer(d, new ConfigLoader(Map.of()).fromJson(config));
            });
        }
    }

    private Client userWithEmail(String email) {
        String login = TestServer.unique("inv");
        var user = server().services().users().create(null,
                new UserService.NewUser(login, login, email, TestServer.PASSWORD, false, false, false));
        return server().asUser(user.id());
    }

    /** The token of the invitation mailed to {@code address}: an e-mail invitation's token goes only there. */
    private static String mailedToken(String address) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (var message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equalsIgnoreCase(address)) {
                    String body = new String(message.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
                    java.util.regex.Matcher token = java.util.regex.Pattern.compile("token=([0-9a-f]{64})").matcher(body);
                    assertThat(token.find()).as(body).isTrue();
                    return token.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no invitation mail to " + address);
    }

    @Test
    void aUserInvitedByNameJoinsWithTheRoleOnceAndOnlyOnce() {
        Client owner = server().admin();
        Client invitee = server().newUser("invitee");
        long project = createProject(owner, TestServer.unique("inv"));
        String base = "/api/project/" + project + "/invites";
        assertThat(invitee.get("/api/project/" + project).status()).isEqualTo(404);

        Response created = owner.post(base, Map.of("user_id", invitee.userId(), "role", "task_runner"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().get("token").asText();
        assertThat(token).hasSize(64);
        long id = created.json().get("id").asLong();
        assertThat(owner.get(base + "/" + id).json().has("token")).as("the token is shown once").isFalse();
        assertThat(owner.get(base).json().get(0).get("status").asText()).isEqualTo("pending");
        assertThat(owner.post(base, Map.of("user_id", invitee.userId(), "role", "guest")).status()).isEqualTo(409);

        assertThat(server().newUser("stranger").post("/api/invites/accept", Map.of("token", token)).status())
                .isEqualTo(403);
        Response accepted = invitee.post("/api/invites/accept", Map.of("token", token));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("status").asText()).isEqualTo("accepted");
        assertThat(invitee.get("/api/project/" + project + "/role").json().get("role").asText())
                .isEqualTo("task_runner");
        Response again = invitee.post("/api/invites/accept", Map.of("token", token));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).contains("already accepted");
        assertThat(owner.post(base, Map.of("user_id", invitee.userId(), "role", "guest")).status())
                .as("already a member").isEqualTo(409);
        assertThat(owner.get("/api/project/" + project + "/events").body()).contains("by invitation");
    }

    @Test
    void anEmailInvitationIsForThatAddressAndExpires() throws Exception {
        Client owner = server().admin();
        long project = createProject(owner, TestServer.unique("mail"));
        String base = "/api/project/" + project + "/invites";
        String address = TestServer.unique("new") + "@example.test";
        Response made = owner.post(base, Map.of("email", address, "role", "guest"));
        assertThat(made.json().has("token")).as("mailed, so not shown to the inviter").isFalse();
        String token = mailedToken(address);
        assertThat(userWithEmail(TestServer.unique("other") + "@example.test")
                .post("/api/invites/accept", Map.of("token", token)).status()).isEqualTo(403);
        Client named = userWithEmail(address.toUpperCase());
        assertThat(named.post("/api/invites/accept", Map.of("token", token)).status()).isEqualTo(200);
        assertThat(named.get("/api/project/" + project + "/role").json().get("role").asText()).isEqualTo("guest");

        String lateAddress = TestServer.unique("late") + "@example.test";
        owner.post(base, Map.of("email", lateAddress, "role", "guest"));
        String late = mailedToken(lateAddress);
        server().services().db().txRun(h -> h.createUpdate("UPDATE project_invites SET expires_at = :t"
                + " WHERE email = :e").bind("e", lateAddress).bind("t", Instant.now().minusSeconds(60)).execute());
        Response expired = userWithEmail(lateAddress).post("/api/invites/accept", Map.of("token", late));
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.error()).contains("expired");
        assertThat(owner.get(base).json().findValuesAsText("status")).contains("expired");

        long declined = owner.post(base, Map.of("email", "no@example.test", "role", "guest")).json().get("id").asLong();
        assertThat(owner.put(base + "/" + declined, Map.of("status", "declined")).status()).isEqualTo(204);
        assertThat(owner.delete(base + "/" + declined).status()).isEqualTo(204);
        assertThat(owner.get(base + "/" + declined).status()).isEqualTo(404);
    }

    @Test
    void anEmailInvitationIsMailedWithTheLinkThatAcceptsIt() throws Exception {
        Client owner = server().admin();
        long project = createProject(owner, TestServer.unique("mailed"));
        String address = TestServer.unique("mailed") + "@example.test";
        owner.post("/api/project/" + project + "/invites", Map.of("email", address, "role", "guest"));
        String token = mailedToken(address);
        String expected = "https://ci.example.test/accept-invite?token=" + token;
        long deadline = System.currentTimeMillis() + 10_000;
        String body = null;
        while (body == null && System.currentTimeMillis() < deadline) {
            for (var message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(address)) {
                    body = new String(message.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            Thread.sleep(50);
        }
        assertThat(body).as("an invitation mail to " + address).isNotNull().contains(expected);
        assertThat(userWithEmail(address).post("/api/invites/accept", Map.of("token", token)).status()).isEqualTo(200);
    }

    @Test
    void aRemovedOwnerCannotComeBackThroughTheirOwnInvitation() throws Exception {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("rejoin"));
        String base = "/api/project/" + project + "/invites";
        String ownerAddress = TestServer.unique("own") + "@example.test";
        Client owner = userWithEmail(ownerAddress);
        addMember(admin, project, owner, "owner");
        Response forever = owner.post(base, Map.of("email", ownerAddress, "role", "manager",
                "expires_at", "2999-01-01T00:00:00Z"));
        assertThat(forever.status()).isEqualTo(400);
        assertThat(forever.error()).contains("expires_at").contains("teams.invite_max_days");
        // The owner invites their own address (and a friend by name), then is removed from the team.
        assertThat(owner.post(base, Map.of("email", ownerAddress, "role", "owner")).status()).isEqualTo(201);
        String own = mailedToken(ownerAddress);
        Client friend = server().newUser("friend");
        String friends = owner.post(base, Map.of("user_id", friend.userId(), "role", "manager")).json()
                .get("token").asText();
        assertThat(admin.delete("/api/project/" + project + "/users/" + owner.userId()).status()).isEqualTo(204);
        for (var attempt : List.of(Map.entry(owner, own), Map.entry(friend, friends))) {
            Response refused = attempt.getKey().post("/api/invites/accept", Map.of("token", attempt.getValue()));
            assertThat(refused.status()).as(refused.toString()).isIn(400, 403);
            assertThat(attempt.getKey().get("/api/project/" + project + "/role").status()).isEqualTo(404);
        }
        assertThat(admin.get(base).json()).as("revoked with the membership").isEmpty();
        assertThat(admin.get("/api/project/" + project + "/events").body()).contains("may no longer grant");

        // An owner made a manager may no longer invite; an invitation made while they could is checked again
        // when accepted.
        Client second = server().newUser("own2");
        addMember(admin, project, second, "owner");
        Client invitee = server().newUser("invitee2");
        String token = second.post(base, Map.of("user_id", invitee.userId(), "role", "guest")).json().get("token")
                .asText();
        server().services().db().txRun(h -> h.createUpdate("UPDATE project_users SET role = 'manager'"
                + " WHERE project_id = :p AND user_id = :u").bind("p", project).bind("u", second.userId()).execute());
        Response stale = invitee.post("/api/invites/accept", Map.of("token", token));
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.error()).contains("no longer");
    }

    /** As upstream's role bits: a manager runs tasks and manages resources; only owners manage people. */
    @Test
    void managersNeitherInviteNorManageMembers() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("mgrs"));
        Client manager = server().newUser("mgr");
        Client guest = server().newUser("guest");
        addMember(admin, project, manager, "manager");
        addMember(admin, project, guest, "guest");
        String team = "/api/project/" + project + "/users";
        Response invite = manager.post("/api/project/" + project + "/invites", Map.of("user_id", guest.userId(),
                "role", "guest"));
        assertThat(invite.status()).isEqualTo(403);
        assertThat(invite.error()).contains("owners");
        assertThat(manager.get("/api/project/" + project + "/invites").status()).isEqualTo(403);
        assertThat(manager.post(team, Map.of("user_id", server().newUser("newcomer").userId(), "role", "guest"))
                .status()).isEqualTo(403);
        assertThat(manager.put(team + "/" + guest.userId(), Map.of("role", "task_runner")).status()).isEqualTo(403);
        assertThat(manager.delete(team + "/" + guest.userId()).status()).isEqualTo(403);
        assertThat(admin.get(team).json().findValuesAsText("role")).containsExactlyInAnyOrder("owner", "manager",
                "guest");
    }

    @Test
    void badInvitationsAreRefusedAndOnlyTeamManagersMakeThem() {
        Client owner = server().admin();
        Client guest = server().newUser("guest");
        long project = createProject(owner, TestServer.unique("bad"));
        addMember(owner, project, guest, "guest");
        String base = "/api/project/" + project + "/invites";
        assertThat(guest.get(base).status()).isEqualTo(403);
        assertThat(guest.post(base, Map.of("email", "x@example.test", "role", "guest")).status()).isEqualTo(403);
        assertThat(owner.post(base, Map.of("role", "guest")).error()).contains("user_id").contains("email");
        assertThat(owner.post(base, Map.of("email", "x@example.test", "role", "king")).error()).contains("'role'");
        assertThat(owner.post(base, Map.of("email", "not-an-address", "role", "guest")).error()).contains("'email'");
        assertThat(owner.post(base, Map.of("email", "x@example.test", "role", "guest",
                "expires_at", "2020-01-01T00:00:00Z")).error()).contains("expires_at");
        assertThat(owner.post(base, Map.of("user_id", 999999, "role", "guest")).error()).contains("user_id");
        assertThat(owner.get(base).json()).isEmpty();
        assertThat(owner.post("/api/invites/accept", Map.of("token", "f".repeat(64))).error()).contains("token");
        assertThat(owner.get("/api/info").json().get("teams").get("invites_enabled").asBoolean()).isTrue();
        assertThat(owner.get("/api/info").json().get("teams").get("invite_type").asText()).isEqualTo("both");
    }

    @Test
    void aServerWithoutInvitationsRefusesThem() {
        TestServer plain = TestServers.of(dialect);
        Client owner = plain.admin();
        long project = createProject(owner, TestServer.unique("off"));
        Response refused = owner.post("/api/project/" + project + "/invites", Map.of("email", "a@example.test",
                "role", "guest"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("teams.invites_enabled");
        assertThat(owner.get("/api/info").json().get("teams").get("invites_enabled").asBoolean()).isFalse();
    }
}
