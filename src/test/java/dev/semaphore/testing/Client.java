package dev.semaphore.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.semaphore.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP client for one caller (anonymous, a token, or a session cookie); checks every response against the contract. */
public final class Client {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String baseUrl;
    private final Map<String, String> headers;
    private final long userId;

    Client(String baseUrl, Map<String, String> headers, long userId) {
        this.baseUrl = baseUrl;
        this.headers = Map.copyOf(headers);
        this.userId = userId;
    }

    /** The caller's user id (0 for anonymous). */
    public long userId() {
        return userId;
    }

    public Client withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Client(baseUrl, copy, userId);
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** Sends a request; {@code body} may be a String (sent as is) or an object (sent as JSON). */
    public Response send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        headers.forEach(request::header);
        String text = body == null ? null : body instanceof String s ? s : toJson(body);
        if (text != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Response result = new Response(method, path, response.statusCode(), response.body(), response.headers());
            Contract.check(result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Object body) {
        try {
            return Json.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
