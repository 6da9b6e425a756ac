package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/health/live} and {@code /api/health/ready} answer without signing in; ready says 503 and why
 * when the database is gone (and, in GracefulStopTest, while the process drains).
 */
class HealthApiTest {
    @Test
    void aServingProcessIsLiveAndReady() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        Response live = server.anonymous().get("/api/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("status").asText()).isEqualTo("up");
        Response ready = server.anonymous().get("/api/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        assertThat(ready.json().get("checks").toString()).isEqualTo(
                "{\"start\":\"ok\",\"database\":\"ok\",\"tasks\":\"ok\"}");
        assertThat(server.anonymous().get("/api/ping").body()).isEqualTo("pong");
    }

    @Test
    void withoutItsDatabaseAProcessIsLiveButNotReady() throws Exception {
        var config = TestDatabases.freshConfig(Dialect.POSTGRES);
        try (TestServer server = new TestServer(Dialect.POSTGRES, config)) {
            assertThat(server.anonymous().get("/api/health/ready").status()).isEqualTo(200);
            String database = config.string(dev.semaphore.config.ConfigKeys.DB_NAME);
            try (var admin = DriverManager.getConnection("jdbc:postgresql://" + TestDatabases.PG_HOST + "/postgres",
                    "postgres", "")) {
                admin.createStatement().execute("DROP DATABASE " + database + " WITH (FORCE)");
            }
            Response ready = server.anonymous().get("/api/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            JsonNode body = ready.json();
            assertThat(body.get("status").asText()).isEqualTo("not ready");
            assertThat(body.get("checks").get("database").asText()).isNotEqualTo("ok");
            assertThat(body.get("error").asText()).startsWith("not ready: database ");
            assertThat(server.anonymous().get("/api/health/live").status()).as("still live").isEqualTo(200);
        }
    }
}
