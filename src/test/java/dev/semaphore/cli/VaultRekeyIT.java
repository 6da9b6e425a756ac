package dev.semaphore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.Services;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.secret.AccessKey;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.secret.Vault;
import dev.semaphore.user.UserService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code semaphore vault rekey} killed with SIGKILL at moments spread over its run: after each kill
 * every secret still opens and all of them are sealed with one key, the old or the new (the change
 * is one transaction: it happened whole or not at all); a last run completes it.
 */
class VaultRekeyIT {
    private static final int KEYS = 1_500;

    @TempDir
    Path dir;

    @Test
    void aRekeyKilledAtAnyMomentLosesNothing() throws Exception {
        String oldKey = Base64.getEncoder().encodeToString(dev.semaphore.common.Secrets.randomBytes(32));
        String newKey = Base64.getEncoder().encodeToString(dev.semaphore.common.Secrets.randomBytes(32));
        ObjectNode json = Json.mapper().createObjectNode().put("dialect", "sqlite").put("access_key_encryption", oldKey);
        json.putObject("sqlite").put("host", dir.resolve("db.sqlite").toString());
        long project;
        try (Services services = Services.open(new ConfigLoader(Map.of()).fromJson(json))) {
            services.migrate();
            var admin = services.users().create(null, new UserService.NewUser("ops", "Ops", "ops@example.test",
                    "pw-for-ops-1", true, false, false));
            project = services.projects().create(admin, new dev.semaphore.project.ProjectService.ProjectInput(
                    "rekey", false, null, 0, ""), true).id();
            for (int i = 0; i < KEYS; i++) {
                services.keys().create(admin, project, services.keys().parse((ObjectNode) Json.mapper().readTree(
                        "{\"name\": \"k" + i + "\", \"type\": \"login_password\", \"login_password\": {\"login\": \"u"
                                + i + "\", \"password\": \"p" + i + "\"}}")));
            }
        }
        Path config = dir.resolve("config.json");
        Files.writeString(config, json.deepCopy().put("access_key_encryption", newKey).toString());
        ObjectNode both = json.deepCopy().put("access_key_encryption", newKey).put("access_key_encryption_old", oldKey);

        int killed = 0;
        boolean done = false;
        for (int delay = 1_200; delay <= 8_000 && !done; delay += 100) {
            Process rekey = Jar.builder(dir, Map.of(), "vault", "rekey", "--old-key", oldKey, "--config",
                    config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("rekey.log").toFile()).start();
            if (rekey.waitFor(delay, TimeUnit.MILLISECONDS)) {
                assertThat(rekey.exitValue()).as(Files.readString(dir.resolve("rekey.log"))).isZero();
                done = true;
            } else {
                rekey.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback of its own
                rekey.waitFor(30, TimeUnit.SECONDS);
                killed++;
            }
            assertWhole(both, project);
        }
        assertThat(killed).as("the rekey was killed at least once before it finished").isPositive();
        System.out.println("vault rekey killed " + killed + " time(s) before it " + (done ? "finished" : "was run to the end"));
        if (!done) {
            assertThat(Jar.run(dir, Map.of(), null, "vault", "rekey", "--old-key", oldKey, "--config",
                    config.toString()).exit()).isZero();
        }
        try (Services services = Services.open(new ConfigLoader(Map.of()).fromJson(both))) {
            Vault.Usage usage = services.vault().check();
            assertThat(usage.perKey()).as("all under the new key").hasSize(1).containsKey(services.vault().activeKeyId());
        }
    }

    /** Every secret opens, and all are sealed with the same key. */
    private static void assertWhole(ObjectNode both, long project) {
        try (Services services = Services.open(new ConfigLoader(Map.of()).fromJson(both))) {
            Vault.Usage usage = services.vault().check();
            assertThat(usage.perKey()).as("one key seals them all: " + usage.perKey()).hasSize(1);
            assertThat(usage.perKey().values().iterator().next()).isEqualTo(KEYS);
            List<AccessKey> keys = services.keys().list(project, null, null).stream()
                    .filter(k -> k.name().startsWith("k")).toList();
            assertThat(keys).hasSize(KEYS);
            for (AccessKey key : keys) {
                int i = Integer.parseInt(key.name().substring(1));
                assertThat(services.keys().secret(project, key.id()))
                        .isEqualTo(new KeySecret.LoginPassword("u" + i, "p" + i));
            }
        }
    }
}
