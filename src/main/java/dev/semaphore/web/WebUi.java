package dev.semaphore.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI, built into the jar under {@code web/}. A path naming a file gets that file; any other
 * path without an extension gets {@code index.html} (the UI routes in the browser); {@code /api/...}
 * never does. {@code index.html} gets a {@code <base href>} with the server's path prefix, so the
 * UI works under a {@code web_host} path too.
 */
public final class WebUi {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("json", "application/json"),
            Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"), Map.entry("txt", "text/plain"),
            Map.entry("map", "application/json"));

    private static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    private final String contextPath;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    public WebUi(String contextPath) {
        this.contextPath = contextPath.endsWith("/") ? contextPath.substring(0, contextPath.length() - 1)
                : contextPath;
    }

    private static String webjarVersion() {
        try (InputStream in = WebUi.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            java.util.Properties properties = new java.util.Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers a GET or HEAD no route took; false when the UI has nothing for it. */
    boolean serve(Context ctx) {
        String method = ctx.method().name();
        String path = ctx.path().substring(Math.min(ctx.path().length(), contextPath.length()));
        if (!(method.equals("GET") || method.equals("HEAD")) || path.equals("/api") || path.startsWith("/api/")
                || path.contains("..")) {
            return false;
        }
        if (path.equals("/swagger")) {
            // its page loads its files relative to /swagger/
            ctx.redirect(contextPath + "/swagger/", io.javalin.http.HttpStatus.MOVED_PERMANENTLY);
            return true;
        }
        String name = path.equals("/") || path.isEmpty() ? "index.html"
                : path.equals("/swagger/") ? "swagger/index.html" : path.substring(1);
        Optional<byte[]> file = read(name);
        String last = name.substring(name.lastIndexOf('/') + 1);
        if (file.isEmpty() && !last.contains(".")) {
            name = "index.html";
            file = read(name);
        }
        if (file.isEmpty()) {
            return false;
        }
        byte[] body = file.get();
        if (name.equals("index.html")) {
            body = new String(body, StandardCharsets.UTF_8)
                    .replace("<base href=\"/\">", "<base href=\"" + contextPath + "/\">")
                    .getBytes(StandardCharsets.UTF_8);
            ctx.header("Cache-Control", "no-cache");
        } else if (name.startsWith("assets/")) {
            // Vite names these by content hash: a changed file is a new name.
            ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        ctx.status(200).contentType(TYPES.getOrDefault(extension, "application/octet-stream")).result(body);
        return true;
    }

    /** Swagger UI's files: our page and settings, then the webjar's scripts and styles; else the UI's. */
    private static InputStream open(String name) {
        ClassLoader loader = WebUi.class.getClassLoader();
        if (name.startsWith("swagger/")) {
            InputStream ours = loader.getResourceAsStream(name);
            return ours != null ? ours : loader.getResourceAsStream(SWAGGER_UI + name.substring("swagger/".length()));
        }
        return loader.getResourceAsStream("web/" + name);
    }

    /** A file of the UI; only found files are kept, so made-up paths cannot fill the memory. */
    private Optional<byte[]> read(String name) {
        byte[] cached = files.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (InputStream in = open(name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            files.put(name, body);
            return Optional.of(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
