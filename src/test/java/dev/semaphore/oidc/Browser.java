package dev.semaphore.oidc;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A browser as far as sign-in needs one: cookies per host and redirects followed by hand, one hop at a time. */
final class Browser {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final Map<String, Map<String, String>> cookies = new LinkedHashMap<>();

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
    }

    HttpResponse<String> postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), url);
    }

    String cookie(String url, String name) {
        return cookies.getOrDefault(hostOf(url), Map.of()).get(name);
    }

    void setCookie(String url, String name, String value) {
        cookies.computeIfAbsent(hostOf(url), h -> new LinkedHashMap<>()).put(name, value);
    }

    void dropCookie(String url, String name) {
        cookies.getOrDefault(hostOf(url), new LinkedHashMap<>()).remove(name);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String url) {
        Map<String, String> jar = cookies.computeIfAbsent(hostOf(url), h -> new LinkedHashMap<>());
        if (!jar.isEmpty()) {
            request.header("Cookie", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.isEmpty() || header.contains("Max-Age=0")) {
                    jar.remove(name);
                } else {
                    jar.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String hostOf(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }
}
