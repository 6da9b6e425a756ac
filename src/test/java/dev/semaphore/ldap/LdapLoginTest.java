package dev.semaphore.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.Slapd;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sign-in against a real OpenLDAP slapd: service bind, search, user bind; the person becomes an
 * external user linked by the entry's DN; wrong passwords, people outside the search base and filter
 * injection find nobody; a local account is never taken over; LDAPS and StartTLS check the certificate;
 * directory groups become roles at each sign-in and are taken back when the person leaves the group.
 */
class LdapLoginTest {
    private static Slapd slapd;

    @BeforeAll
    static void startDirectory() {
        slapd = Slapd.start();
    }

    @AfterAll
    static void stopDirectory() {
        slapd.close();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aDirectoryPersonSignsInAsAnExternalUserAndNobodyElseDoes(Dialect dialect) throws Exception {
        String uid = TestServer.unique("alice");
        String dn = slapd.addPerson("people", uid, "Alice Liddell", uid + "@corp.example", "wonderland");
        String outsider = TestServer.unique("carol");
        slapd.addPerson("contractors", outsider, "Carol", outsider + "@corp.example", "outside");
        try (TestServer server = server(dialect, json -> { })) {
            Client alice = signIn(server, uid, "wonderland");
            JsonNode me = alice.get("/api/user").json();
            assertThat(me.get("username").asText()).isEqualTo(uid);
            assertThat(me.get("name").asText()).isEqualTo("Alice Liddell");
            assertThat(me.get("email").asText()).isEqualTo(uid + "@corp.example");
            assertThat(me.get("external").asBoolean()).isTrue();
            long id = me.get("id").asLong();
            JsonNode identities = alice.get("/api/users/" + id + "/identities").json();
            assertThat(identities).hasSize(1);
            assertThat(identities.get(0).get("type").asText()).isEqualTo("ldap");
            assertThat(identities.get(0).get("provider").asText()).isEqualTo("ldap");
            assertThat(identities.get(0).get("external_uid").asText()).isEqualTo(dn);

            assertThat(signIn(server, uid.toUpperCase(), "wonderland").get("/api/user").json().get("id").asLong())
                    .as("the same person again, whatever the case of the login").isEqualTo(id);
            assertThat(login(server, uid, "not her password").status()).isEqualTo(401);
            assertThat(login(server, outsider, "outside").status()).as("outside the search base").isEqualTo(401);
            for (String injection : new String[] {"*)(uid=*", "*", uid.substring(0, 3) + "*", "*)(|(uid=*"}) {
                Response r = login(server, injection, "wonderland");
                assertThat(r.status()).as("login %s", injection).isEqualTo(401);
                assertThat(r.error()).isEqualTo("wrong login or password");
            }
            assertThat(server.admin().get("/api/users").json().findValuesAsText("username"))
                    .contains(uid).doesNotContain(outsider);
            assertThat(alice.delete("/api/users/" + id + "/identities/ldap/ldap").status())
                    .as("an external user's only identity").isEqualTo(409);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aLocalAccountIsNotTakenOverUntilLinked(Dialect dialect) throws Exception {
        try (TestServer server = server(dialect, json -> { })) {
            Client local = server.newUser("bob");
            JsonNode me = local.get("/api/user").json();
            String login = me.get("username").asText();
            String dn = slapd.addPerson("people", login, "Bob in LDAP", "bob-" + login + "@corp.example", "ldap pass");

            // The local account's login is its own unchecked claim: the directory person signs in as an account
            // of their own, and the local account is left as it was.
            JsonNode separate = signIn(server, login, "ldap pass").get("/api/user").json();
            assertThat(separate.get("id").asLong()).isNotEqualTo(local.userId());
            assertThat(separate.get("username").asText()).isEqualTo(login + "@ldap");
            assertThat(login(server, login, TestServer.PASSWORD).status()).as("the local password still works")
                    .isEqualTo(204);
            assertThat(local.get("/api/user").json()).isEqualTo(me);

            // An admin who knows them to be one person removes the separate account and links the local one.
            Client admin = server.admin();
            assertThat(admin.delete("/api/users/" + separate.get("id").asLong()).status()).isEqualTo(204);
            Response linked = admin.post("/api/users/" + local.userId() + "/identities",
                    Map.of("type", "ldap", "provider", "ldap", "external_uid", dn));
            assertThat(linked.status()).as(linked.toString()).isEqualTo(201);
            assertThat(admin.post("/api/users/" + admin.userId() + "/identities",
                    Map.of("type", "ldap", "provider", "ldap", "external_uid", dn)).status())
                    .as("one directory person, one account").isEqualTo(409);
            assertThat(local.post("/api/users/" + local.userId() + "/identities",
                    Map.of("type", "ldap", "provider", "ldap", "external_uid", dn)).status()).isEqualTo(403);
            Client viaLdap = signIn(server, login, "ldap pass");
            assertThat(viaLdap.get("/api/user").json().get("id").asLong()).isEqualTo(local.userId());
            assertThat(viaLdap.get("/api/user").json().get("external").asBoolean()).isFalse();

            assertThat(local.delete("/api/users/" + local.userId() + "/identities/ldap/ldap").status()).isEqualTo(204);
            assertThat(local.get("/api/users/" + local.userId() + "/identities").json()).isEmpty();

            Response self = local.post("/api/user/identities/ldap", Map.of("username", login, "password", "wrong"));
            assertThat(self.status()).isEqualTo(401);
            String other = TestServer.unique("dave");
            slapd.addPerson("people", other, "Dave", other + "@corp.example", "dave pass");
            assertThat(local.post("/api/user/identities/ldap", Map.of("username", other, "password", "dave pass"))
                    .status()).as("someone else's entry").isEqualTo(403);
            assertThat(local.post("/api/user/identities/ldap", Map.of("username", login, "password", "ldap pass"))
                    .status()).isEqualTo(204);
            assertThat(signIn(server, login, "ldap pass").get("/api/user").json().get("id").asLong())
                    .isEqualTo(local.userId());
            assertThat(admin.get("/api/events").body()).contains("Identity ldap:ldap linked to user " + login);
        }
    }

    @Test
    void groupsBecomeRolesAtEachSignIn() throws Exception {
        String ops = TestServer.unique("ops");
        String admins = TestServer.unique("admins");
        ObjectNode json = ldapJson(Dialect.SQLITE);
        long mapped;
        long named;
        long manual;
        String byName = TestServer.unique("ByName");
        try (TestServer plain = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = plain.admin();
            mapped = admin.post("/api/projects", Map.of("name", TestServer.unique("Mapped"))).json().get("id").asLong();
            named = admin.post("/api/projects", Map.of("name", byName)).json().get("id").asLong();
            manual = admin.post("/api/projects", Map.of("name", TestServer.unique("Manual"))).json().get("id").asLong();
        }
        ObjectNode roles = json.putObject("ldap_group_roles");
        roles.putObject(ops).putObject("projects").put(Long.toString(mapped), "manager").put(byName, "task_runner");
        roles.putObject(admins).put("admin", true);
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            runGroupScenario(server, ops, admins, mapped, named, manual);
        }
    }

    private void runGroupScenario(TestServer server, String ops, String admins, long mapped, long named, long manual)
            throws Exception {
        String uid = TestServer.unique("erin");
        String dn = slapd.addPerson("people", uid, "Erin", uid + "@corp.example", "erin pass", ops, admins);
        Client erin = signIn(server, uid, "erin pass");
        long id = erin.get("/api/user").json().get("id").asLong();
        assertThat(erin.get("/api/user").json().get("admin").asBoolean()).isTrue();
        Client admin = server.admin();
        assertThat(role(admin, mapped, id)).isEqualTo("manager");
        assertThat(role(admin, named, id)).isEqualTo("task_runner");
        assertThat(admin.post("/api/project/" + manual + "/users", Map.of("user_id", id, "role", "guest")).status())
                .isEqualTo(204);
        String token = erin.post("/api/user/tokens", "").json().get("id").asText();
        Client erinsToken = erin.withHeader("Cookie", "").withHeader("Authorization", "Bearer " + token);
        assertThat(erinsToken.get("/api/project/" + mapped + "/templates").status()).isEqualTo(200);

        slapd.removeFromGroup(ops, dn);
        slapd.removeFromGroup(admins, dn);
        signIn(server, uid, "erin pass");
        assertThat(role(admin, mapped, id)).as("left the group, lost the role").isNull();
        assertThat(role(admin, named, id)).isNull();
        assertThat(role(admin, manual, id)).as("a role given by hand stays").isEqualTo("guest");
        assertThat(admin.get("/api/users/" + id).json().get("admin").asBoolean()).isFalse();
        assertThat(erinsToken.get("/api/project/" + mapped + "/templates").status())
                .as("the token is checked against the roles now").isIn(403, 404);
        assertThat(admin.get("/api/project/" + mapped + "/events").body())
                .contains("removed from the team by the ldap group mapping");

        slapd.addToGroup(ops, dn);
        signIn(server, uid, "erin pass");
        assertThat(role(admin, mapped, id)).isEqualTo("manager");
    }

    @Test
    void ldapsAndStartTlsCheckTheDirectorysCertificate() throws Exception {
        String uid = TestServer.unique("tls");
        slapd.addPerson("people", uid, "T L S", uid + "@corp.example", "tls pass");
        try (TestServer ldaps = server(Dialect.SQLITE, json -> json.put("ldap_server", slapd.tlsAddress())
                .put("ldap_needtls", true).put("ldap_ca_file", slapd.caFile().toString()))) {
            assertThat(login(ldaps, uid, "tls pass").status()).isEqualTo(204);
        }
        try (TestServer url = server(Dialect.SQLITE, json -> json.put("ldap_server", "ldaps://localhost:"
                + slapd.tlsAddress().split(":")[1]).put("ldap_ca_file", slapd.caFile().toString()))) {
            assertThat(login(url, uid, "tls pass").status()).as("ldaps:// URL, host name checked").isEqualTo(204);
        }
        try (TestServer startTls = server(Dialect.SQLITE, json -> json.put("ldap_starttls", true)
                .put("ldap_ca_file", slapd.caFile().toString()))) {
            assertThat(login(startTls, uid, "tls pass").status()).isEqualTo(204);
        }
        try (TestServer untrusted = server(Dialect.SQLITE, json -> json.put("ldap_server", slapd.tlsAddress())
                .put("ldap_needtls", true))) {
            assertThat(login(untrusted, uid, "tls pass").status()).as("a certificate nobody vouches for")
                    .isEqualTo(401);
        }
        try (TestServer untrusted = server(Dialect.SQLITE, json -> json.put("ldap_starttls", true))) {
            assertThat(login(untrusted, uid, "tls pass").status()).isEqualTo(401);
        }
    }

    private static String role(Client admin, long project, long user) {
        for (JsonNode member : admin.get("/api/project/" + project + "/users").json()) {
            if (member.get("id").asLong() == user) {
                return member.get("role").asText();
            }
        }
        return null;
    }

    private static TestServer server(Dialect dialect, Consumer<ObjectNode> extra) {
        ObjectNode json = ldapJson(dialect);
        extra.accept(json);
        return new TestServer(dialect, new ConfigLoader(Map.of()).fromJson(json));
    }

    private static ObjectNode ldapJson(Dialect dialect) {
        ObjectNode json = TestDatabases.freshConfigJson(dialect);
        json.putObject("auth").put("login_address_max_failures", 1_000_000).put("login_max_failures", 1_000_000);
        json.put("ldap_enable", true).put("ldap_server", slapd.address()).put("ldap_binddn", Slapd.READER_DN)
                .put("ldap_bindpassword", Slapd.READER_PASSWORD).put("ldap_searchdn", "ou=people," + Slapd.BASE)
                .put("ldap_group_search_dn", "ou=groups," + Slapd.BASE);
        return json;
    }

    private static Response login(TestServer server, String login, String password) {
        return server.anonymous().post("/api/auth/login", Map.of("auth", login, "password", password));
    }

    private static Client signIn(TestServer server, String login, String password) {
        Response response = login(server, login, password);
        assertThat(response.status()).as(response.toString()).isEqualTo(204);
        return server.withCookie(response.header("Set-Cookie").split(";")[0], 0);
    }
}
