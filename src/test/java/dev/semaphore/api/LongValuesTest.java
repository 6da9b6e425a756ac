package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values longer than their column keeps are refused alike on every database, naming the field: SQLite
 * would keep them and PostgreSQL answered 500. Through the API and through a restore.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class LongValuesTest {
    @Parameter
    Dialect dialect;

    @Test
    void tooLongValuesAre400sNamingTheFieldAndNothingIsSaved() {
        TestServer server = TestServers.of(dialect);
        ProjectFixture fixture = ProjectFixture.create(server, "long");
        Client admin = fixture.admin();
        long repository = fixture.create("/repositories", Map.of("name", "r", "git_url", "/tmp/none",
                "ssh_key_id", fixture.noneKey()));
        Map<String, Object> template = Map.of("name", "t", "app", "bash", "playbook", "run.sh",
                "repository_id", repository);
        Map<String, Object> tooLong = Map.of("runner_tag", "x".repeat(256), "playbook", "p".repeat(5000),
                "name", "n".repeat(256), "git_branch", "b".repeat(256),
                "vaults", List.of(Map.of("type", "script", "name", "v".repeat(256), "script", "s.sh")));
        tooLong.forEach((field, value) -> {
            Map<String, Object> body = new HashMap<>(template);
            body.put(field, value);
            Response refused = admin.post(fixture.path("/templates"), body);
            assertThat(refused.status()).as(field + ": " + refused).isEqualTo(400);
            assertThat(refused.error()).as(field).contains(field).containsPattern("at most|over");
        });
        assertThat(admin.get(fixture.path("/templates")).json()).isEmpty();
        // Exactly as long as the column keeps is fine, counting characters, not bytes.
        Map<String, Object> longest = new HashMap<>(template);
        longest.put("runner_tag", "é".repeat(255));
        assertThat(admin.post(fixture.path("/templates"), longest).status()).isEqualTo(201);

        for (Map<String, ?> runner : List.<Map<String, ?>>of(Map.of("tag", "t".repeat(256)), Map.of("tags", List.of("t".repeat(256))),
                Map.of("name", "r".repeat(256)), Map.of("webhook", "http://x/" + "w".repeat(1100)))) {
            Response refused = admin.post("/api/runners", runner);
            assertThat(refused.status()).as(runner.keySet() + ": " + refused).isEqualTo(400);
            assertThat(refused.error()).contains(runner.keySet().iterator().next());
        }
        Response message = admin.post(fixture.path("/tasks"), Map.of("template_id", 1, "message", "m".repeat(1025)));
        assertThat(message.status()).isEqualTo(400);

        // A backup carrying one is refused whole, naming it.
        ObjectNode backup = (ObjectNode) admin.get(fixture.path("/backup")).json();
        ((ObjectNode) backup.get("meta")).put("name", TestServer.unique("restored"));
        ((ObjectNode) ((ArrayNode) backup.get("templates")).get(0)).put("playbook", "p".repeat(5000));
        Response restored = admin.post("/api/projects/restore", backup);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(400);
        assertThat(restored.error()).contains("playbook");
        assertThat(admin.get("/api/projects").json().findValuesAsText("name"))
                .doesNotContain(backup.get("meta").get("name").asText());
    }
}
