package dev.semaphore.audit;

import dev.semaphore.event.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream 2.20's audit webhook: each event POSTed on its own, as JSON ({@code /api/events}' shape) or wrapped for Splunk's HTTP Event
 * Collector, tried three times (1 s, then 2 s apart); an event that still fails stops the batch, and the
 * export starts from it again at its next turn, so none is skipped.
 */
public final class AuditWebhook implements EventExports.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWebhook.class);
    private static final int ATTEMPTS = 3;

    private final URI url;
    private final boolean splunk;
    private final Map<String, String> headers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AuditWebhook(URI url, String format, Map<String, String> headers) {
        this.url = url;
        this.splunk = "splunk_hec".equals(format);
        this.headers = Map.copyOf(headers);
    }

    @Override
    public String name() {
        return "webhook";
    }

    /** Few at a time: the export's row stays locked (and a connection held) while they go out one by one. */
    @Override
    public int batch() {
        return 20;
    }

    @Override
    public int deliver(List<Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (!send(events.get(i))) {
                return i;
            }
        }
        return events.size();
    }

    private boolean send(Event event) {
        Object body = event;
        if (splunk) {
            Map<String, Object> hec = new LinkedHashMap<>();
            hec.put("time", event.created() == null ? null : event.created().toEpochMilli() / 1000.0);
            hec.put("sourcetype", "semaphore:audit");
            hec.put("event", event);
            body = hec;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(dev.semaphore.common.Json.write(body)));
        headers.forEach(request::header);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return true;
                }
                LOG.debug("audit webhook answered {} to event {}", response.statusCode(), event.id());
            } catch (java.io.IOException e) {
                LOG.debug("audit webhook unreachable for event {}: {}", event.id(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(1000L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
