package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.LogCapture;
import dev.semaphore.testing.Response;
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
class EnvironmentsApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    @Test
    void variablesAndWriteOnlySecrets() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("env"));
        String base = "/api/project/" + project + "/environment";
        String dbPassword = "db-" + TestServer.unique("pw");
        String apiToken = "tok-" + TestServer.unique("tk");
        List<Response> seen = new ArrayList<>();
        try (LogCapture log = new LogCapture()) {
            Response created = admin.post(base, Map.of("name", "prod", "json", "{\"region\": \"eu\"}",
                    "env", "{\"APP_ENV\": \"production\"}",
                    "secrets", List.of(Map.of("name", "db_password", "type", "var", "secret", dbPassword,
                                    "operation", "create"),
                            Map.of("name", "API_TOKEN", "type", "env", "secret", apiToken, "operation", "create"))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            seen.add(created);
            long id = created.json().get("id").asLong();
            JsonNode env = admin.get(base + "/" + id).json();
            seen.add(admin.get(base + "/" + id));
            seen.add(admin.get(base));
            seen.add(admin.get("/api/project/" + project + "/events"));
            assertThat(env.get("json").asText()).isEqualTo("{\"region\": \"eu\"}");
            assertThat(env.get("env").asText()).isEqualTo("{\"APP_ENV\": \"production\"}");
            assertThat(env.get("secrets").findValuesAsText("name")).containsExactly("db_password", "API_TOKEN");
            assertThat(env.get("secrets").get(0).has("secret")).isFalse();
            String everything = String.join("\n", seen.stream().map(Response::body).toList()) + log.text();
            assertThat(everything).doesNotContain(dbPassword).doesNotContain(apiToken);

            var service = server().services().environments();
            assertThat(service.secretValues(project, id, "var")).containsEntry("db_password", dbPassword);
            assertThat(service.secretValues(project, id, "env")).containsEntry("API_TOKEN", apiToken);

            long varId = env.get("secrets").get(0).get("id").asLong();
            long envId = env.get("secrets").get(1).get("id").asLong();
            Response updated = admin.put(base + "/" + id, Map.of("name", "prod", "json", "{}", "env", "{}",
                    "secrets", List.of(Map.of("id", varId, "name", "db_password", "type", "var", "secret", "rotated",
                            "operation", "update"), Map.of("id", envId, "operation", "delete"))));
            assertThat(updated.status()).isEqualTo(204);
            assertThat(service.secretValues(project, id, "var")).containsExactly(Map.entry("db_password", "rotated"));
            assertThat(service.secretValues(project, id, "env")).isEmpty();

            // A rename that does not retype the value (upstream's UI sends it empty) keeps the value.
            Response renamed = admin.put(base + "/" + id, Map.of("name", "prod", "json", "{}", "env", "{}",
                    "secrets", List.of(Map.of("id", varId, "name", "database_password", "type", "var", "secret", "",
                            "operation", "update"))));
            assertThat(renamed.status()).isEqualTo(204);
            assertThat(service.secretValues(project, id, "var"))
                    .containsExactly(Map.entry("database_password", "rotated"));
        }
    }

    @Test
    void badVariablesAndSecretOperationsChangeNothing() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("badenv"));
        String base = "/api/project/" + project + "/environment";
        assertThat(admin.post(base, Map.of("name", "x", "json", "[1, 2]")).error()).contains("json");
        assertThat(admin.post(base, Map.of("name", "x", "json", "{broken")).error()).contains("json");
        assertThat(admin.post(base, Map.of("name", "x", "env", "{\"1BAD\": \"v\"}")).error()).contains("env");
        // upstream's words for the same mistake: clients match on them
        assertThat(admin.post(base, Map.of("name", "x", "env", "{\"\": \"v\"}")).error())
                .contains("Environment variables key can not be empty");
        assertThat(admin.post(base, Map.of("name", "x", "env", "{\"A\": {\"nested\": 1}}")).error()).contains("env");
        assertThat(admin.post(base, Map.of("name", "x", "secrets", List.of(Map.of("name", "s", "type", "file",
                "secret", "v")))).error()).contains("secrets[0].type");
        assertThat(admin.post(base, Map.of("name", "x", "secrets", List.of(Map.of("name", "s", "type", "var"))))
                .error()).contains("secrets[0].secret");
        assertThat(admin.post(base, Map.of("name", "x", "secrets", List.of(
                Map.of("name", "s", "type", "var", "secret", "1"), Map.of("name", "s", "type", "var", "secret", "2"))))
                .error()).contains("named s");
        // Only upstream's "Empty" group, which every project starts with.
        assertThat(admin.get(base).json().findValuesAsText("name")).containsExactly("Empty");

        long id = admin.post(base, Map.of("name", "ok")).json().get("id").asLong();
        long other = admin.post(base, Map.of("name", "other", "secrets", List.of(Map.of("name", "s", "type", "var",
                "secret", "v")))).json().get("id").asLong();
        long foreignSecret = admin.get(base + "/" + other).json().get("secrets").get(0).get("id").asLong();
        Response stealing = admin.put(base + "/" + id, Map.of("name", "ok", "secrets", List.of(Map.of("id", foreignSecret,
                "operation", "delete"))));
        assertThat(stealing.status()).isEqualTo(400);
        assertThat(admin.get(base + "/" + other).json().get("secrets")).hasSize(1);
    }

    @Test
    void deletingRemovesTheGroupAndItsSecrets() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("delenv"));
        String base = "/api/project/" + project + "/environment";
        long id = admin.post(base, Map.of("name", "tmp", "secrets", List.of(Map.of("name", "s", "type", "var",
                "secret", "v")))).json().get("id").asLong();
        assertThat(admin.get(base + "/" + id + "/refs").json().has("templates")).isTrue();
        long otherProject = createProject(admin, TestServer.unique("envother"));
        assertThat(admin.get("/api/project/" + otherProject + "/environment/" + id).status()).isEqualTo(404);
        assertThat(admin.delete(base + "/" + id).status()).isEqualTo(204);
        assertThat(admin.get(base + "/" + id).status()).isEqualTo(404);
        long left = server().services().db().read(h -> h.createQuery(
                "SELECT COUNT(*) FROM environment_secrets WHERE environment_id = :e").bind("e", id)
                .mapTo(Long.class).one());
        assertThat(left).isZero();
    }
}
