package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The server posts to a runner's webhook, so whoever sets one chooses where the server sends requests:
 * never a link-local address (cloud metadata), an unspecified or multicast one, nor credentials in the
 * URL; this machine only for server-wide runners, not for a project manager's.
 */
@ParameterizedClass
@EnumSource(value = Dialect.class, names = {"SQLITE", "POSTGRES"})
class RunnerWebhookTargetsTest {
    @Parameter
    Dialect dialect;

    @Test
    void aWebhookMayNotPointWhereTheServerMustNotSendRequests() {
        TestServer server = TestServers.of(dialect);
        Client admin = server.admin();
        ProjectFixture p = ProjectFixture.create(server, "hooks");
        List<String> nowhere = List.of("http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x",
                "http://0.0.0.0:8080/", "http://224.0.0.1/", "http://user:secret@example.test/hook", "ftp://x/",
                "http:///no-host");
        for (String url : nowhere) {
            Response global = admin.post("/api/runners", Map.of("name", TestServer.unique("r"), "webhook", url));
            assertThat(global.status()).as(url).isEqualTo(400);
            assertThat(global.error()).contains("'webhook'");
        }
        for (String local : List.of("http://127.0.0.1:3000/api/users", "http://localhost:9/x", "http://[::1]/x")) {
            Response project = p.admin().post(p.path("/runners"), Map.of("name", TestServer.unique("r"),
                    "webhook", local));
            assertThat(project.status()).as(local).isEqualTo(400);
            assertThat(project.error()).contains("this machine");
        }
        Response mine = p.admin().post(p.path("/runners"), Map.of("name", TestServer.unique("r"),
                "webhook", "https://runner.example.test/hook"));
        assertThat(mine.status()).isEqualTo(201);
        long id = mine.json().get("id").asLong();
        assertThat(p.admin().put(p.path("/runners/" + id), Map.of("webhook", "http://127.0.0.1:22/")).status())
                .as("nor changed to it later").isEqualTo(400);
        Response serverWide = admin.post("/api/runners", Map.of("name", TestServer.unique("r"),
                "webhook", "http://127.0.0.1:9/hook"));
        assertThat(serverWide.status()).as("an admin's server-wide runner on this machine").isEqualTo(201);
    }
}
