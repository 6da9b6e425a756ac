package dev.semaphore.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import javax.crypto.Cipher;

/**
 * A runner's side of upstream's protocol: register, ask for its state (decrypting it when the server
 * encrypted it to the runner's key; waiting up to a given time for news, where the server allows),
 * report progress, unregister.
 */
final class RunnerClient {
    /** What the server answered, when it was not a success. */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String body) {
            super("the server answered " + status + ": " + body);
            this.status = status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final String version;
    private volatile String token;
    private final PrivateKey privateKey;

    RunnerClient(String serverUrl, String token, PrivateKey privateKey, String version) {
        this.endpoint = URI.create(serverUrl.replaceAll("/+$", "") + "/api/internal/runners");
        this.token = token;
        this.privateKey = privateKey;
        this.version = version;
    }

    /** Registers with the server's registration token; returns the runner's own token. */
    String register(JsonNode registration) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(registration.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new Refused(response.statusCode(), response.body());
        }
        token = Json.tree(response.body()).path("token").asText();
        return token;
    }

    JsonNode state(int waitSeconds) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request().timeout(Duration.ofSeconds(waitSeconds + 30L))
                .header("X-Runner-Wait", String.valueOf(waitSeconds)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new Refused(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        byte[] body = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").contains("octet-stream")) {
            body = decrypt(body);
        }
        return Json.tree(new String(body, StandardCharsets.UTF_8));
    }

    /** Sends progress; the status the server answered (204: taken). */
    int progress(JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request().timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    void unregister() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request().timeout(Duration.ofSeconds(30)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new Refused(response.statusCode(), response.body());
        }
    }

    private HttpRequest.Builder request() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("X-Runner-Token", token)
                .header("X-Runner-Version", version);
        return load < 0 ? request : request.header("X-Runner-Load", String.format(java.util.Locale.ROOT, "%.2f", load));
    }

    private byte[] decrypt(byte[] sealed) throws IOException {
        if (privateKey == null) {
            throw new IOException("the server encrypted this runner's jobs, but the runner has no private key");
        }
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            cipher.init(Cipher.DECRYPT_MODE, privateKey);
            int block = ((java.security.interfaces.RSAKey) privateKey).getModulus().bitLength() / 8;
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            for (int at = 0; at + block <= sealed.length; at += block) {
                plain.writeBytes(cipher.doFinal(sealed, at, block));
            }
            return plain.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IOException("the server's answer does not open with this runner's key", e);
        }
    }
}
