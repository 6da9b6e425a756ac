package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every response (the UI's page, the API, errors) carries a Content-Security-Policy without inline
 * scripts, forbids framing and sniffing, and keeps the referrer on our own origin. The e2e run fails on
 * any CSP violation the UI causes, and checks that another page cannot frame ours.
 */
class SecurityHeadersTest {
    @Test
    void everyResponseCarriesTheHeaders() {
        TestServer server = TestServers.of(Dialect.SQLITE);
        for (Response response : List.of(server.anonymous().get("/"), server.anonymous().get("/api/ping"),
                server.admin().get("/api/projects"), server.anonymous().get("/api/projects"),
                server.anonymous().get("/api/no-such-route"))) {
            String csp = response.header("Content-Security-Policy");
            assertThat(csp).as("%s %s", response.method(), response.path()).contains("script-src 'self';")
                    .contains("frame-ancestors 'none'").contains("object-src 'none'").doesNotContain("unsafe-eval");
            assertThat(csp.split(";")[1]).doesNotContain("unsafe-inline");
            assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).isEqualTo("same-origin");
        }
    }
}
