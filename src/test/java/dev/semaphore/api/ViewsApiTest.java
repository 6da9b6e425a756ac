package dev.semaphore.api;

import static dev.semaphore.api.ProjectsApiTest.createProject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class ViewsApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    @Test
    void aProjectStartsWithTheAllViewWhichCannotBeDeleted() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("views"));
        JsonNode views = admin.get("/api/project/" + project + "/views").json();
        assertThat(views).hasSize(1);
        assertThat(views.get(0).get("title").asText()).isEqualTo("All");
        assertThat(views.get(0).get("type").asText()).isEqualTo("all");
        Response delete = admin.delete("/api/project/" + project + "/views/" + views.get(0).get("id").asLong());
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.error()).contains("All");
    }

    @Test
    void viewsAreCreatedRenamedReorderedAndDeleted() {
        Client admin = server().admin();
        long project = createProject(admin, TestServer.unique("tabs"));
        String base = "/api/project/" + project + "/views";
        Response build = admin.post(base, Map.of("title", "Build"));
        assertThat(build.status()).isEqualTo(201);
        assertThat(build.json().get("position").asInt()).isEqualTo(1);
        // As upstream: unset hidden, type and sort fields are left out.
        assertThat(build.json().has("hidden") || build.json().has("type") || build.json().has("sort_column")
                || build.json().has("sort_reverse")).isFalse();
        long buildId = build.json().get("id").asLong();
        long deployId = admin.post(base, Map.of("title", "Deploy")).json().get("id").asLong();
        long allId = admin.get(base).json().get(0).get("id").asLong();

        assertThat(admin.put(base + "/" + buildId, Map.of("title", "Builds", "hidden", true, "sort_column", "name"))
                .status()).isEqualTo(204);
        JsonNode renamed = admin.get(base + "/" + buildId).json();
        assertThat(renamed.get("title").asText()).isEqualTo("Builds");
        assertThat(renamed.get("hidden").asBoolean()).isTrue();

        assertThat(admin.post(base + "/positions", Map.of(String.valueOf(deployId), 0, String.valueOf(allId), 1,
                String.valueOf(buildId), 2)).status()).isEqualTo(204);
        assertThat(admin.get(base).json().findValuesAsText("title")).containsExactly("Deploy", "All", "Builds");

        long other = createProject(admin, TestServer.unique("tabsother"));
        long foreign = admin.get("/api/project/" + other + "/views").json().get(0).get("id").asLong();
        Response stealing = admin.post(base + "/positions", Map.of(String.valueOf(foreign), 5));
        assertThat(stealing.status()).isEqualTo(400);
        assertThat(admin.post(base + "/positions", "{\"abc\": 1}").status()).isEqualTo(400);
        assertThat(admin.post(base, Map.of("title", "")).error()).contains("title");
        assertThat(admin.post(base, Map.of("title", "x", "sort_column", "secret")).error()).contains("sort_column");

        assertThat(admin.delete(base + "/" + deployId).status()).isEqualTo(204);
        assertThat(admin.get(base).json().findValuesAsText("title")).containsExactly("All", "Builds");
        assertThat(admin.get("/api/project/" + other + "/views/" + buildId).status()).isEqualTo(404);
    }
}
