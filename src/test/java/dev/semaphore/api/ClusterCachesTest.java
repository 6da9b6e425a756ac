package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.config.Config;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two server processes on one database, each caching who a token belongs to and who sees which
 * project: a revoke on one reaches the other's caches within a second (the caches alone would keep
 * the old answer for 5 and 2 s).
 */
class ClusterCachesTest {
    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRES", "MYSQL"})
    void aRevokeOnOneNodeHoldsOnTheOtherWithinASecond(Dialect dialect) throws Exception {
        Config config = TestDatabases.freshConfig(dialect);
        try (TestServer a = new TestServer(dialect, config); TestServer b = new TestServer(dialect, config)) {
            Client adminAtA = a.admin();
            Client user = a.newUser("roamer");
            String token = user.post("/api/user/tokens", "").json().get("id").asText();
            Client userAtB = b.anonymous().withHeader("Authorization", "Bearer " + token);
            long project = adminAtA.post("/api/projects", Map.of("name", TestServer.unique("Shared"))).json()
                    .get("id").asLong();
            assertThat(adminAtA.post("/api/project/" + project + "/users",
                    Map.of("user_id", user.userId(), "role", "guest")).status()).isEqualTo(204);
            Thread.sleep(600);
            assertThat(userAtB.get("/api/projects").json().findValuesAsText("id")).contains(Long.toString(project));

            assertThat(adminAtA.delete("/api/project/" + project + "/users/" + user.userId()).status())
                    .isEqualTo(204);
            long took = within(() -> !userAtB.get("/api/projects").json().findValuesAsText("id")
                    .contains(Long.toString(project)));
            System.out.println(dialect + ": a membership removed on A left B's project list in " + took + " ms");
            assertThat(took).as("B's project list").isLessThan(1000);

            assertThat(user.delete("/api/user/tokens/" + token).status()).isEqualTo(204);
            took = within(() -> userAtB.get("/api/user").status() == 401);
            System.out.println(dialect + ": a token revoked on A was refused by B after " + took + " ms");
            assertThat(took).as("B's credential cache").isLessThan(1000);
        }
    }

    /** Milliseconds until the condition holds (asked every 20 ms, for at most 6 s). */
    private static long within(BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean() && System.nanoTime() - start < 6_000_000_000L) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
