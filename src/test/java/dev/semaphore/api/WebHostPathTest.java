package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server behind https://host/semaphore serves its routes under /semaphore, as upstream. */
class WebHostPathTest {
    @Test
    void routesLiveUnderThePathOfWebHost() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.put("web_host", "https://ops.example/semaphore");
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> prefixed = http.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/semaphore/api/ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(prefixed.statusCode()).isEqualTo(200);
            assertThat(prefixed.body()).isEqualTo("pong");
            HttpResponse<String> bare = http.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/api/ping")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bare.statusCode()).isEqualTo(404);
        }
    }
}
