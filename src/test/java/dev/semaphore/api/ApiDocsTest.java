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
        // Methods OpenAPI cannot name (Terraform's LOCK and UNLOCK) are said in their route's description instead.
        java.util.Set<String> nameable = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "WS");
        server.routes().stream().filter(route -> nameable.contains(route.method()))
                .forEach(route -> registered.add((route.method().equals("WS") ? "GET" : route.method()) + " "
                        + route.path().replaceAll("<(\\w+)>", "{$1}")));
        server.routes().stream().filter(route -> !nameable.contains(route.method())).forEach(route ->
                assertThat(doc.path("paths").path(route.path()).path("get").path("description").asText())
                        .as(route.toString()).contains(route.method()));
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

    @Test
    void theDocumentedObjectsHaveTheFieldsResponsesCarry() throws Exception {
        TestServer server = TestServers.of(Dialect.SQLITE);
        JsonNode schemas = new ObjectMapper(new YAMLFactory()).readTree(server.anonymous().get("/api/openapi.yml")
                .body()).get("components").get("schemas");
        dev.semaphore.testing.ProjectFixture p = dev.semaphore.testing.ProjectFixture.create(server, "Docs");
        java.nio.file.Path repo = java.nio.file.Files.createTempDirectory(
                dev.semaphore.testing.TestDatabases.tempDir(), "docs");
        java.nio.file.Files.writeString(repo.resolve("hi.sh"), "echo hi\n");
        long template = p.bashTemplate(repo, "hi.sh", java.util.Map.of());
        long task = p.run(template, java.util.Map.of()).get("id").asLong();
        p.await(task, "success");
        long inventory = p.create("/inventory", java.util.Map.of("name", "i", "type", "static", "inventory", "h"));
        long environment = p.create("/environment", java.util.Map.of("name", "e", "json", "{}", "env", "{}"));
        long schedule = p.create("/schedules", java.util.Map.of("name", "s", "template_id", template,
                "cron_format", "0 3 * * *", "active", false));
        java.util.Map<String, JsonNode> responses = new java.util.LinkedHashMap<>();
        responses.put("Project", p.admin().get(p.path("")).json());
        responses.put("User", p.admin().get("/api/user").json());
        responses.put("Task", p.admin().get(p.path("/tasks/" + task)).json());
        responses.put("TaskOutputLine", p.admin().get(p.path("/tasks/" + task + "/output")).json().get(0));
        responses.put("Template", p.admin().get(p.path("/templates/" + template)).json());
        responses.put("Repository", p.admin().get(p.path("/repositories")).json().get(0));
        responses.put("Inventory", p.admin().get(p.path("/inventory/" + inventory)).json());
        responses.put("Environment", p.admin().get(p.path("/environment/" + environment)).json());
        responses.put("AccessKey", p.admin().get(p.path("/keys")).json().get(0));
        responses.put("Event", p.admin().get(p.path("/events")).json().get(0));
        responses.put("Schedule", p.admin().get(p.path("/schedules/" + schedule)).json());
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        responses.forEach((name, response) -> {
            Set<String> documented = new TreeSet<>();
            schemas.get(name).get("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> carried = new TreeSet<>();
            response.fieldNames().forEachRemaining(carried::add);
            carried.removeAll(documented);
            soft.assertThat(carried).as("fields of %s missing from openapi.yml", name).isEmpty();
        });
        soft.assertAll();
    }
}
