package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules about the server's only admin need a server of their own. */
class LastAdminTest {
    @Test
    void theOnlyAdminCanNeitherBeDeletedNorDemoted() {
        try (TestServer server = new TestServer(Dialect.SQLITE)) {
            Client admin = server.admin();
            Response delete = admin.delete("/api/users/" + admin.userId());
            assertThat(delete.status()).isEqualTo(400);
            assertThat(delete.error()).contains("last admin");
            assertThat(admin.get("/api/user").status()).isEqualTo(200);

            Client second = server.admin();
            assertThat(second.put("/api/users/" + admin.userId(), Map.of("admin", false)).status()).isEqualTo(204);
            assertThat(admin.put("/api/users/" + second.userId(), Map.of("admin", false)).status()).isEqualTo(403);
            assertThat(second.delete("/api/users/" + second.userId()).status()).isEqualTo(400);
        }
    }
}
