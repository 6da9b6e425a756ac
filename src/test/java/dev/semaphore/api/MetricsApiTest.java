package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/metrics}: off unless {@code metrics.enabled} (401, as upstream), HTTP Basic when a user is
 * set, and Prometheus text that counts what happened: a task's end, its duration and lines, the
 * requests by route, the pool and the JVM.
 */
class MetricsApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void offByDefault() throws Exception {
        HttpResponse<String> off = scrape(TestServers.of(Dialect.SQLITE), null);
        assertThat(off.statusCode()).isEqualTo(401);
        assertThat(off.body()).contains("metrics.enabled");
    }

    @Test
    void countsTasksRequestsAndThePoolBehindBasicAuth() throws Exception {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        json.putObject("metrics").put("enabled", true).put("username", "prometheus").put("password", "scrape-me");
        try (TestServer server = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            HttpResponse<String> anonymous = scrape(server, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Basic"));
            assertThat(scrape(server, "prometheus:wrong").statusCode()).isEqualTo(401);
            HttpResponse<String> before = scrape(server, "prometheus:scrape-me");
            assertThat(before.statusCode()).isEqualTo(200);
            assertThat(before.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(value(before.body(), "semaphore_tasks_total{status=\"success\"}")).isZero();

            Path repo = Files.createTempDirectory(TestDatabases.tempDir(), "metrics");
            Files.writeString(repo.resolve("three.sh"), "echo one\necho two\necho three\n");
            ProjectFixture p = ProjectFixture.create(server, "Metrics");
            long task = p.run(p.bashTemplate(repo, "three.sh", Map.of()), Map.of()).get("id").asLong();
            p.await(task, "success");
            String base = p.path("");

            // The task's thread leaves the running ones just after its end is told: wait for it, briefly.
            String text = scrape(server, "prometheus:scrape-me").body();
            for (int i = 0; i < 100 && value(text, "semaphore_tasks_running") != 0; i++) {
                Thread.sleep(50);
                text = scrape(server, "prometheus:scrape-me").body();
            }
            assertThat(value(text, "semaphore_tasks_total{status=\"success\"}")).isEqualTo(1);
            assertThat(value(text, "semaphore_tasks_total{status=\"error\"}")).isZero();
            assertThat(value(text, "semaphore_tasks_running")).isZero();
            assertThat(value(text, "semaphore_tasks_queued")).isZero();
            assertThat(value(text, "semaphore_task_duration_seconds_count{app=\"bash\",status=\"success\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "semaphore_task_log_lines_total")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "semaphore_http_requests_seconds_count{method=\"POST\","
                    + "route=\"/api/project/{project_id}/tasks\",status=\"201\"}")).isEqualTo(1);
            assertThat(text).contains("hikaricp_connections_active{pool=\"semaphore-db\"}", "jvm_memory_used_bytes",
                    "process_uptime_seconds");
            assertThat(text).as("no path with ids as a label").doesNotContain("route=\"" + base);
        }
    }

    private static HttpResponse<String> scrape(TestServer server, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/metrics"));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one sample line (labels as written, in Micrometer's order). */
    private static double value(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("sample %s in:\n%s", sample, text.lines().filter(l -> l.startsWith("semaphore_"))
                .toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
