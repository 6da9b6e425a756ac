package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/openapi.yml} is a valid OpenAPI 3 document that describes every route the server registers,
 * and nothing it does not serve; each operation says what it does and who may call it. Swagger UI at
 * {@code /swagger} loads from the server itself.
 */
class ApiDocsTest {
    @Test
    void theDescriptionListsEveryRegisteredRouteAndNoOther() throws Exception {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Response served = server.anonymous().get("/api/openapi.yml");
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.header("Content-Type")).startsWith("application/yaml");

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.body());
        assertThat(parsed.getMessages()).as("a valid OpenAPI 3 document").isEmpty();

        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(served.body());
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!op.getKey().equals("parameters")) {
                documented.add(op.getKey().toUpperCase() + " " + path.getKey());
                assertThat(op.getValue().path("summary").asText()).as(op.getKey() + " " + path.getKey()).isNotBlank();
                assertThat(op.getValue().path("description").asText()).as(op.getKey() + " " + path.getKey())
                        .startsWith("Who may call it: ");
                assertThat(op.getValue().path("tags").size()).isPositive();
            }
        }));
        Set<String> registered = new TreeSet<>();
        server.routes().forEach(route -> registered.add((route.method().equals("WS") ? "GET" : route.method()) + " "
                + route.path().replaceAll("<(\\w+)>", "{$1}")));
        assertThat(documented).as("documented routes against the registered ones").isEqualTo(registered);
    }

    @Test
    void swaggerUiIsServedFromTheServer() {
        Client anyone = TestServers.of(Dialect.SQLITE).anonymous();
        Response bare = anyone.get("/swagger");
        assertThat(bare.status()).isEqualTo(301);
        assertThat(bare.header("Location")).isEqualTo("/swagger/");
        Response page = anyone.get("/swagger/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("swagger-ui-bundle.js", "init.js").doesNotContain("<script>");
        assertThat(anyone.get("/swagger/init.js").body()).contains("../api/openapi.yml");
        Response bundle = anyone.get("/swagger/swagger-ui-bundle.js");
        assertThat(bundle.status()).isEqualTo(200);
        assertThat(bundle.header("Content-Type")).startsWith("text/javascript");
        assertThat(anyone.get("/swagger/swagger-ui.css").status()).isEqualTo(200);
    }
}
