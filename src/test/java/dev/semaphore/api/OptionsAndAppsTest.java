package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Upstream's run-time options and app changes, kept in the database and in effect at once. */
@ParameterizedClass
@EnumSource(Dialect.class)
class OptionsAndAppsTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    private static JsonNode app(Client client, String id) {
        for (JsonNode app : client.get("/api/apps").json()) {
            if (app.get("id").asText().equals(id)) {
                return app;
            }
        }
        return null;
    }

    @Test
    void optionsAreSetAndReadByAdminsOnly() {
        Client admin = server().admin();
        String key = "ui." + TestServer.unique("banner").toLowerCase();
        assertThat(admin.post("/api/options", Map.of("key", key, "value", "hello")).status()).isEqualTo(204);
        assertThat(admin.get("/api/options").json().get(key).asText()).isEqualTo("hello");
        assertThat(server().newUser("plain").get("/api/options").status()).isEqualTo(403);
        assertThat(admin.post("/api/options", Map.of("key", "Bad Key", "value", "x")).error()).contains("'key'");
        assertThat(admin.post("/api/options", Map.of("key", "ui.x")).error()).contains("'value'");
    }

    @Test
    void anAppAddedAtRunTimeIsUsableAtOnceAndGoesWhenRemoved() {
        Client admin = server().admin();
        String id = TestServer.unique("ruby").toLowerCase();
        Response added = admin.put("/api/apps/" + id, Map.of("active", true, "title", "Ruby", "path", "ruby",
                "args", List.of("-w"), "priority", 5));
        assertThat(added.status()).as(added.toString()).isEqualTo(204);
        JsonNode listed = app(admin, id);
        assertThat(listed).isNotNull();
        assertThat(listed.get("title").asText()).isEqualTo("Ruby");
        assertThat(listed.get("args").get(0).asText()).isEqualTo("-w");
        ProjectFixture p = ProjectFixture.create(server(), "apps");
        long repository = p.create("/repositories", Map.of("name", "r", "git_url", "https://h/r.git",
                "ssh_key_id", p.noneKey()));
        assertThat(p.admin().post(p.path("/templates"), Map.of("name", "rb", "app", id, "playbook", "x.rb",
                "repository_id", repository)).status()).isEqualTo(201);

        assertThat(admin.post("/api/apps/" + id + "/active", Map.of("active", false)).status()).isEqualTo(204);
        assertThat(app(admin, id).get("active").asBoolean()).isFalse();
        assertThat(admin.put("/api/apps/" + id, Map.of("args", "not a list")).error()).contains("args");
        assertThat(server().newUser("plain").put("/api/apps/" + id, Map.of("active", true)).status()).isEqualTo(403);

        assertThat(admin.delete("/api/apps/" + id).status()).isEqualTo(204);
        assertThat(app(admin, id)).isNull();
        assertThat(admin.get("/api/options").json().has("apps." + id + ".path")).isFalse();
    }

    @Test
    void builtInAppsNameTheirIconsAsUpstreamsUiReadsThem() {
        // Upstream's UI puts "mdi-" in front of the name itself: "mdi-mdi-ansible" would show nothing.
        Client user = server().newUser("icons");
        assertThat(app(user, "ansible").get("icon").asText()).isEqualTo("ansible");
        assertThat(app(user, "python").get("icon").asText()).isEqualTo("language-python");
        for (JsonNode app : user.get("/api/apps").json()) {
            assertThat(app.get("icon").asText()).as(app.get("id").asText()).doesNotStartWith("mdi-");
        }
    }

    @Test
    void aBuiltInAppCanBeSwitchedOffAndBack() {
        Client admin = server().admin();
        boolean before = app(admin, "pulumi").get("active").asBoolean();
        assertThat(admin.post("/api/apps/pulumi/active", Map.of("active", !before)).status()).isEqualTo(204);
        assertThat(app(admin, "pulumi").get("active").asBoolean()).isEqualTo(!before);
        assertThat(admin.delete("/api/apps/pulumi").status()).isEqualTo(204);
        assertThat(app(admin, "pulumi").get("active").asBoolean()).isEqualTo(before);
    }
}
