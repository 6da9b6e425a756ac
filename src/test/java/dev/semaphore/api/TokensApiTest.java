package dev.semaphore.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.db.Dialect;
import dev.semaphore.testing.Client;
import dev.semaphore.testing.Response;
import dev.semaphore.testing.TestServer;
import dev.semaphore.testing.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(Dialect.class)
class TokensApiTest {
    @Parameter
    Dialect dialect;

    private TestServer server() {
        return TestServers.of(dialect);
    }

    @Test
    void createdTokenAuthenticatesIsListedByPrefixAndDiesOnDelete() {
        Client user = server().newUser("tok");
        Response created = user.post("/api/user/tokens", "");
        assertThat(created.status()).isEqualTo(201);
        String token = created.json().get("id").asText();
        assertThat(token).hasSizeGreaterThan(30);
        assertThat(created.json().get("expired").asBoolean()).isFalse();
        assertThat(created.json().get("user_id").asLong()).isEqualTo(user.userId());

        Client viaToken = server().anonymous().withHeader("Authorization", "bearer " + token);
        assertThat(viaToken.get("/api/user").json().get("id").asLong()).isEqualTo(user.userId());

        JsonNode listed = user.get("/api/user/tokens").json();
        assertThat(listed.findValuesAsText("id")).contains(token.substring(0, 8));
        assertThat(listed.toString()).doesNotContain(token);

        assertThat(user.delete("/api/user/tokens/" + token.substring(0, 8)).status()).isEqualTo(204);
        assertThat(viaToken.get("/api/user").status()).isEqualTo(401);
        assertThat(user.delete("/api/user/tokens/" + token.substring(0, 8)).status()).isEqualTo(404);
    }

    @Test
    void aUserCannotDeleteAnotherUsersToken() {
        Client alice = server().newUser("alice");
        Client bob = server().newUser("bob");
        String token = alice.post("/api/user/tokens", "").json().get("id").asText();
        assertThat(bob.delete("/api/user/tokens/" + token).status()).isEqualTo(404);
        assertThat(server().anonymous().withHeader("Authorization", "Bearer " + token).get("/api/user").status())
                .isEqualTo(200);
    }

    @Test
    void aTokenWithATimeToLiveExpires() throws InterruptedException {
        Client user = server().newUser("ttl");
        Response created = user.post("/api/user/tokens", Map.of("name", "ci", "ttl", "1s"));
        assertThat(created.status()).isEqualTo(201);
        Client viaToken = server().anonymous().withHeader("Authorization", "Bearer " + created.json().get("id").asText());
        assertThat(viaToken.get("/api/user").status()).isEqualTo(200);
        Thread.sleep(1200);
        assertThat(viaToken.get("/api/user").status()).isEqualTo(401);
        assertThat(user.get("/api/user/tokens").json().findValuesAsText("expired")).contains("true");
        Response bad = user.post("/api/user/tokens", Map.of("ttl", "soon"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).contains("ttl");
    }

    /** Upstream 2.17+'s named tokens with expiry: expires_at set and read back, a past one refused. */
    @Test
    void aTokenWithAnExpiryTimeStopsWorkingThenAndAPastOneIsRefused() throws InterruptedException {
        Client user = server().newUser("expiry");
        String soon = java.time.Instant.now().plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Response created = user.post("/api/user/tokens", Map.of("name", "deploy bot", "expires_at", soon));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("deploy bot");
        assertThat(java.time.Instant.parse(created.json().get("expires_at").asText()))
                .isEqualTo(java.time.Instant.parse(soon));
        Client viaToken = server().anonymous().withHeader("Authorization", "Bearer " + created.json().get("id").asText());
        assertThat(viaToken.get("/api/user").status()).isEqualTo(200);
        int tokens = user.get("/api/user/tokens").json().size();
        assertThat(user.get("/api/user/tokens").json().findValuesAsText("name")).contains("deploy bot");
        Thread.sleep(java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(soon)).toMillis() + 300);
        assertThat(viaToken.get("/api/user").status()).isEqualTo(401);

        Response past = user.post("/api/user/tokens", Map.of("name", "late", "expires_at", "2020-01-01T00:00:00Z"));
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.error()).contains("expires_at").contains("past");
        assertThat(user.post("/api/user/tokens", Map.of("expires_at", "next week")).error()).contains("expires_at");
        assertThat(user.get("/api/user/tokens").json()).as("the refused made none").hasSize(tokens);
    }
}
