package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code log.events} and {@code log.audit_webhook}: every activity-log event reaches a file and a real HTTP
 * receiver once, in order; a receiver that fails is tried again, and nothing is skipped.
 */
class EventExportsTest {
    @Test
    void eventsReachTheFileAndTheWebhookOnceInOrderDespiteAFailure() throws Exception {
        List<JsonNode> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/audit", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            // The first delivery fails: the export must try that event again.
            int status = calls.incrementAndGet() == 1 ? 500 : 204;
            if (status == 204) {
                accepted.add(Json.mapper().readTree(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        Path file = Files.createTempDirectory(TestDatabases.tempDir(), "events").resolve("logs/events.log");
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.POSTGRES);
        ObjectNode log = json.putObject("log");
        log.putObject("events").put("enabled", true).putObject("logger").put("filename", file.toString());
        log.putObject("audit_webhook").put("enabled", true)
                .put("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/audit")
                .putObject("headers").put("Authorization", "Bearer audit-token");
        try (TestServer server = new TestServer(Dialect.POSTGRES, new ConfigLoader(Map.of()).fromJson(json))) {
            server.services().exports().exportAll(); // each export starts from the newest event
            Client admin = server.admin();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = TestServer.unique("Audited");
                names.add(name);
                admin.post("/api/projects", Map.of("name", name));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !names.stream().allMatch(n -> accepted.toString()
                    .contains(n) && read(file).contains(n))) {
                Thread.sleep(100);
            }
            for (String name : names) {
                assertThat(accepted.toString()).as("the webhook got %s", name).contains(name);
                assertThat(read(file)).as("the file has %s", name).contains(name);
            }
            List<Long> ids = accepted.stream().map(e -> e.get("id").asLong()).toList();
            assertThat(ids).as("once each, in order").isSorted().doesNotHaveDuplicates();
            assertThat(calls.get()).as("the failed delivery was tried again").isEqualTo(accepted.size() + 1);
            assertThat(authorizations).containsOnly("Bearer audit-token");
            JsonNode first = accepted.get(0);
            assertThat(first.has("object_type") && first.has("description") && first.has("created")).isTrue();
            List<String> lines = Files.readAllLines(file);
            List<Long> fileIds = new ArrayList<>();
            for (String line : lines) {
                fileIds.add(Json.mapper().readTree(line).get("id").asLong());
            }
            assertThat(fileIds).isSorted().doesNotHaveDuplicates().containsAll(ids);
        } finally {
            receiver.stop(0);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
