package dev.semaphore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** A response as a test sees it. */
public record Response(String method, String path, int status, String body, HttpHeaders headers) {

    public JsonNode json() {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
        }
    }

    public String error() {
        return json().path("error").asText();
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + status + " " + body;
    }
}
