package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.addMember;
import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.LogCapture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.SshKeyFiles;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class KeysApiTest {
    private static final String ED25519 = SshKeyFiles.generate("ed25519", false, "");
    private static final String RSA_PEM_ENCRYPTED = SshKeyFiles.generate("rsa", true, "open sesame");
    private static final String ED25519_ENCRYPTED = SshKeyFiles.generate("ed25519", false, "s3same");

    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static Map<String, Object> ssh(String name, String login, String passphrase, String key) {
        return Map.of("name", name, "type", "ssh", "ssh", Map.of("login", login, "passphrase", passphrase,
                "private_key", key));
    }

    @Test
    void aNewProjectHasTheNoneKey() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("keys"));
        JsonNode keys = admin.get("/api/project/" + project + "/keys").json();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("name").asText()).isEqualTo("None");
        assertThat(keys.get(0).get("type").asText()).isEqualTo("none");
    }

    @Test
    void secretsOfEveryTypeAreStoredButNeverShown() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("secrets"));
        String base = "/api/project/" + project + "/keys";
        String password = "pw-" + TestServer.unique("p");
        String token = "tok-" + TestServer.unique("t");
        String privateBody = ED25519.lines().skip(1).findFirst().orElseThrow();
        List<Response> seen = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            Response sshKey = admin.post(base, ssh("deploy", "ubuntu", "", ED25519));
            Response lp = admin.post(base, Map.of("name", "git", "type", "login_password",
                    "login_password", Map.of("login", "bot", "password", password)));
            Response str = admin.post(base, Map.of("name", "api", "type", "string", "string", token));
            Response encrypted = admin.post(base, ssh("vault", "root", "open sesame", RSA_PEM_ENCRYPTED));
            for (Response created : List.of(sshKey, lp, str, encrypted)) {
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                seen.add(created);
            }
            assertThat(sshKey.json().path("ssh").path("login").asText()).isEqualTo("ubuntu");
            assertThat(lp.json().path("login_password").path("login").asText()).isEqualTo("bot");
            // As upstream: every key carries ssh, login_password and string (empty when not its type), no empty owner.
            assertThat(str.json().get("ssh").get("login").asText()).isEmpty();
            assertThat(str.json().get("login_password").get("password").asText()).isEmpty();
            assertThat(lp.json().get("string").asText()).isEmpty();
            assertThat(str.json().has("owner")).isFalse();
            seen.add(admin.get(base));
            seen.add(admin.get(base + "?sort=type&order=desc"));
            for (Response created : List.of(sshKey, lp, str, encrypted)) {
                long id = created.json().get("id").asLong();
                seen.add(admin.get(base + "/" + id));
                seen.add(admin.get(base + "/" + id + "/refs"));
            }
            seen.add(admin.get("/api/project/" + project + "/events"));
            seen.add(admin.get("/api/events"));
            String everything = String.join("\n", seen.stream().map(Response::body).toList()) + log.text();
            for (String secret : List.of(password, token, privateBody, "open sesame")) {
                assertThat(everything).as("secret leaked").doesNotContain(secret);
            }

            // The engine side reads them back intact.
            var keys = server().services().keys();
            assertThat(keys.secret(project, sshKey.json().get("id").asLong()))
                    .isEqualTo(new KeySecret.Ssh("ubuntu", "", ED25519));
            assertThat(keys.secret(project, lp.json().get("id").asLong()))
                    .isEqualTo(new KeySecret.LoginPassword("bot", password));
            assertThat(keys.secret(project, str.json().get("id").asLong())).isEqualTo(new KeySecret.Text(token));
        }
        String stored = server().services().db().read(h -> h.createQuery(
                "SELECT secret FROM access_keys WHERE project_id = :p AND name = 'git'")
                .bind("p", project).mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain(password);
    }

    @Test
    void brokenAndLockedSshKeysAreKeptMarkedUnusableWithWhy() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("badkeys"));
        String base = "/api/project/" + project + "/keys";
        // As upstream, any non-empty private key is stored; ours says why it cannot be used.
        Map<String, Response> broken = Map.of(
                "not a PEM or OpenSSH private key", admin.post(base, ssh("bad", "u", "", "not a key at all")),
                "damaged", admin.post(base, ssh("cut", "u", "", ED25519.substring(0, ED25519.length() / 2))),
                "encrypted", admin.post(base, ssh("locked", "u", "", ED25519_ENCRYPTED)),
                "does not decrypt", admin.post(base, ssh("wrong", "u", "nope", RSA_PEM_ENCRYPTED)));
        broken.forEach((why, created) -> {
            assertThat(created.status()).as(why + ": " + created).isEqualTo(201);
            assertThat(created.json().get("unusable").asText()).as(why).contains(why);
            long id = created.json().get("id").asLong();
            assertThatThrownBy(() -> server().services().keys().secret(project, id)).hasMessageContaining("cannot be used");
        });
        assertThat(admin.post(base, ssh("empty", "u", "", "  ")).error()).contains("ssh.private_key");
        long good = admin.post(base, ssh("good", "u", "", ED25519)).json().get("id").asLong();
        assertThat(admin.get(base + "/" + good).json().has("unusable")).isFalse();
        assertThat(admin.post(base, Map.of("name", "x", "type", "telepathy")).error()).contains("type");
        assertThat(admin.post(base, Map.of("name", "x", "type", "login_password")).error())
                .contains("login_password.password");
        assertThat(admin.post(base, Map.of("type", "none")).error()).contains("name");
        assertThat(admin.post(base, Map.of("name", "x", "type", "ssh", "ssh", "flat")).error()).contains("ssh");
        assertThat(admin.get(base).json()).hasSize(6);
        assertThat(admin.post(base, ssh("ok", "u", "s3same", ED25519_ENCRYPTED)).status()).isEqualTo(201);
    }

    @Test
    void secretsChangeOnlyWithOverrideSecret() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("rotate"));
        String base = "/api/project/" + project + "/keys";
        long id = admin.post(base, Map.of("name", "db", "type", "login_password",
                "login_password", Map.of("login", "app", "password", "first"))).json().get("id").asLong();

        assertThat(admin.put(base + "/" + id, Map.of("name", "db renamed", "type", "login_password",
                "login_password", Map.of("login", "app2", "password", "ignored"))).status()).isEqualTo(204);
        assertThat(server().services().keys().secret(project, id))
                .isEqualTo(new KeySecret.LoginPassword("app2", "first"));
        assertThat(admin.get(base + "/" + id).json().get("name").asText()).isEqualTo("db renamed");

        assertThat(admin.put(base + "/" + id, Map.of("name", "db", "type", "login_password", "override_secret", true,
                "login_password", Map.of("login", "app", "password", "second"))).status()).isEqualTo(204);
        assertThat(server().services().keys().secret(project, id))
                .isEqualTo(new KeySecret.LoginPassword("app", "second"));

        // A type change without override_secret renames the key and keeps its type and secret, as upstream.
        Response typeChange = admin.put(base + "/" + id, Map.of("name", "db2", "type", "string", "string", "x"));
        assertThat(typeChange.status()).isEqualTo(204);
        assertThat(admin.get(base + "/" + id).json().get("name").asText()).isEqualTo("db2");
        assertThat(server().services().keys().secret(project, id))
                .isEqualTo(new KeySecret.LoginPassword("app", "second"));
        Response emptyOverride = admin.put(base + "/" + id, Map.of("name", "db", "type", "ssh", "override_secret", true,
                "ssh", Map.of("private_key", "")));
        assertThat(emptyOverride.status()).isEqualTo(400);
        assertThat(admin.get(base + "/" + id).json().get("type").asText()).isEqualTo("login_password");
    }

    @Test
    void keysAreDeletedWithEventsAndStayInsideTheirProject() {
        Client admin = server().admin();
        long mine = createProject(admin, TestServer.unique("mine"));
        long other = createProject(admin, TestServer.unique("other"));
        long id = admin.post("/api/project/" + mine + "/keys", Map.of("name", "tmp", "type", "string", "string", "x"))
                .json().get("id").asLong();
        assertThat(admin.get("/api/project/" + other + "/keys/" + id).status()).isEqualTo(404);
        assertThat(admin.delete("/api/project/" + other + "/keys/" + id).status()).isEqualTo(404);
        JsonNode refs = admin.get("/api/project/" + mine + "/keys/" + id + "/refs").json();
        assertThat(refs.fieldNames()).toIterable().contains("templates", "inventories", "repositories",
                "integrations", "schedules");
        assertThat(admin.delete("/api/project/" + mine + "/keys/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/project/" + mine + "/keys/" + id).status()).isEqualTo(404);
        List<String> descriptions = new ArrayList<>();
        admin.get("/api/project/" + mine + "/events").json().forEach(e -> descriptions.add(e.get("description").asText()));
        assertThat(descriptions).contains("Access Key tmp created", "Access Key tmp deleted");
    }

    @Test
    void membersReadKeysManagersChangeThem() {
        Client owner = server().admin();
        Client guest = server().newUser("kguest");
        Client manager = server().newUser("kmanager");
        Client runner = server().newUser("krunner");
        long project = createProject(owner, TestServer.unique("kroles"));
        addMember(owner, project, guest, "guest");
        addMember(owner, project, manager, "manager");
        addMember(owner, project, runner, "task_runner");
        String base = "/api/project/" + project + "/keys";
        Map<String, Object> body = Map.of("name", "k", "type", "string", "string", "v");
        assertThat(guest.get(base).status()).isEqualTo(200);
        assertThat(guest.post(base, body).status()).isEqualTo(403);
        assertThat(runner.post(base, body).status()).isEqualTo(403);
        assertThat(manager.post(base, body).status()).isEqualTo(201);
        assertThat(server().newUser("stranger").get(base).status()).isEqualTo(404);
    }
}
