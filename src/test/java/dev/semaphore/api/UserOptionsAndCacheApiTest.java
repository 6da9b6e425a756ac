package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.semaphore.config.ConfigKeys;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.ProjectFixture;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Upstream 2.19+'s per-user options and its cache routes. */
@ParameterizedClass
@EnumSource(Dialect.class)
class UserOptionsAndCacheApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    @Test
    void aUserKeepsTheirOwnOptionsAndNoOneElses() {
        Client alice = server().newUser("opt-alice");
        Client bob = server().newUser("opt-bob");
        assertThat(alice.get("/api/user/options").json()).isEmpty();
        Response stored = alice.post("/api/user/options", Map.of("key", "nav.unpinnedItems",
                "value", "[\"dashboard\",\"history\"]"));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        assertThat(stored.json().get("key").asText()).isEqualTo("nav.unpinnedItems");
        assertThat(alice.post("/api/user/options", Map.of("key", "lang", "value", "de")).status()).isEqualTo(200);
        assertThat(alice.get("/api/user/options").json().get("nav.unpinnedItems").asText())
                .isEqualTo("[\"dashboard\",\"history\"]");
        assertThat(alice.get("/api/user/options").json().get("lang").asText()).isEqualTo("de");
        assertThat(bob.get("/api/user/options").json()).as("bob's are his own").isEmpty();

        // Only upstream's user keys: never a server option, never another user's namespace.
        for (String key : new String[] {"apps.bash.path", "user" + bob.userId() + ".lang", "../lang"}) {
            Response refused = alice.post("/api/user/options", Map.of("key", key, "value", "x"));
            assertThat(refused.status()).as(key).isEqualTo(400);
            assertThat(refused.error()).contains("key");
        }
        assertThat(bob.get("/api/user/options").json()).isEmpty();
        assertThat(server().admin().get("/api/options").json().has("apps.bash.path")).isFalse();
    }

    @Test
    void clearingTheCacheRemovesWhatStoppedServersLeftAndNothingOfALiveOne() throws Exception {
        ProjectFixture p = ProjectFixture.create(server(), "cache");
        Path projectTmp = Path.of(server().services().config().string(ConfigKeys.TMP_PATH))
                .resolve("project_" + p.project());
        Files.createDirectories(projectTmp);
        // a folder of a process that is gone (pid 1's start tick is never 1 on a running system) and one of this JVM
        Path dead = Files.createDirectory(projectTmp.resolve("task_7_1.1-left"));
        long self = ProcessHandle.current().pid();
        Path live = Files.createDirectory(projectTmp.resolve("task_8_" + self + "."
                + dev.semaphore.execution.ProcessStart.ticks(self).orElseThrow() + "-running"));
        Client guest = server().newUser("cache-guest");
        assertThat(p.admin().post(p.path("/users"), Map.of("user_id", guest.userId(), "role", "guest")).status())
                .isEqualTo(204);
        assertThat(guest.delete(p.path("/cache")).status()).isEqualTo(204);
        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(p.admin().get(p.path("/events")).body()).contains("Cache cleared: 1 folder");
        assertThat(guest.delete("/api/cache").status()).as("the whole server's: admins").isEqualTo(403);
        assertThat(server().admin().delete("/api/cache").status()).isEqualTo(204);
        assertThat(live).exists();
        Files.delete(live);
    }
}
