package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Secrets;
import dev.semaphore.config.ConfigLoader;
import dev.semaphore.db.Dialect;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.secret.SecretUnreadableException;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.TestDatabases;
import dev.semaphore.testing.TestServer;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets survive a restart with the same access_key_encryption, and say which key is missing otherwise. */
class KeyEncryptionTest {
    @Test
    void aStoredSecretDecryptsAfterRestartAndNamesTheMissingKeyOtherwise() {
        ObjectNode json = TestDatabases.freshConfigJson(Dialect.SQLITE);
        long project;
        long key;
        try (TestServer first = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            Client admin = first.admin();
            project = ProjectsApiTest.createProject(admin, "enc");
            key = admin.post("/api/project/" + project + "/keys", Map.of("name", "k", "type", "string",
                    "string", "kept across restarts")).json().get("id").asLong();
        }
        try (TestServer again = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            assertThat(again.services().keys().secret(project, key)).isEqualTo(new KeySecret.Text("kept across restarts"));
        }
        String originalKey = json.get("access_key_encryption").asText();
        json.put("access_key_encryption", Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
        try (TestServer rotated = new TestServer(Dialect.SQLITE, new ConfigLoader(Map.of()).fromJson(json))) {
            long p = project;
            long k = key;
            assertThatThrownBy(() -> rotated.services().keys().secret(p, k))
                    .isInstanceOf(SecretUnreadableException.class)
                    .hasMessageContaining("key id " + keyId(originalKey))
                    .hasMessageContaining("not configured");
        }
    }

    private static String keyId(String base64Key) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
