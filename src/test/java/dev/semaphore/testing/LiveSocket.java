package dev.semaphore.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A browser's {@code /api/ws} connection as tests see it: every message it got, and when. */
public final class LiveSocket implements WebSocket.Listener {
    public final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    public final List<Long> receivedMillis = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean closed;
    private WebSocket socket;

    /** Connects to {@code http(s)://host:port} as the holder of the API token. */
    public static LiveSocket open(String baseUrl, String token) throws Exception {
        LiveSocket live = new LiveSocket();
        live.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "/api/ws"), live)
                .get(10, TimeUnit.SECONDS);
        return live;
    }

    public WebSocket socket() {
        return socket;
    }

    /** Whether the server or the way to it closed the connection. */
    public boolean closed() {
        return closed;
    }

    /** Whether a message said the task reached that status. */
    public boolean saw(long task, String status) {
        return messages.stream().anyMatch(m -> m.path("task_id").asLong() == task
                && m.path("status").asText().equals(status));
    }

    /** The log lines of the task that came through this connection. */
    public List<String> lines(long task) {
        return messages.stream().filter(m -> m.path("type").asText().equals("log")
                && m.path("task_id").asLong() == task).map(m -> m.path("output").asText()).toList();
    }

    /** Waits (up to 20 s) for a message saying the task reached that status. */
    public void awaitStatus(long task, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && !saw(task, status)) {
            Thread.sleep(50);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(Json.mapper().readTree(partial.toString()));
                receivedMillis.add(System.currentTimeMillis());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }
}
