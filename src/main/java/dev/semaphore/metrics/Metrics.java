package dev.semaphore.metrics;

import dev.semaphore.task.Task;
import dev.semaphore.task.TaskEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * This process's measurements in Prometheus form: upstream's {@code semaphore_tasks_running} and
 * {@code semaphore_tasks_total{status}}, and ours (queue, task durations per app, log lines, HTTP
 * requests per route and status, the database pool, the JVM). Counts are this process's: across
 * several processes, sum them; the queue is the database's and the same on every process.
 */
public final class Metrics implements AutoCloseable {
    private static final Set<String> ENDED = Set.of("success", "error", "stopped");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter logLines;
    /** Listens to the JVM's GC notifications until closed. */
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        logLines = Counter.builder("semaphore.task.log.lines").description("Task output lines stored by this process")
                .register(registry);
        for (String status : ENDED) {
            // Present from the start, so a rate over them is defined before the first task ends.
            tasksEnded(status);
        }
    }

    /** Where other parts register their meters (the database pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The task gauges: how many tasks this process runs, and how many wait in the database's queue
     * (read at each scrape).
     */
    public void taskGauges(Supplier<Number> running, Supplier<Number> queued) {
        io.micrometer.core.instrument.Gauge.builder("semaphore.tasks.running", running)
                .description("Tasks this process runs").register(registry);
        io.micrometer.core.instrument.Gauge.builder("semaphore.tasks.queued", () -> {
                    try {
                        return queued.get();
                    } catch (RuntimeException databaseGone) {
                        return Double.NaN;
                    }
                })
                .description("Tasks waiting in the queue (the database's: the same on every process)")
                .register(registry);
    }

    /** Task output this process holds because the database has not taken it yet (an outage, a slow database). */
    public void outputBacklog(Supplier<Number> memoryLines, Supplier<Number> memoryChars, Supplier<Number> spilledLines) {
        io.micrometer.core.instrument.Gauge.builder("semaphore.task.output.pending.lines", memoryLines)
                .description("Output lines held in memory until the database takes them").register(registry);
        io.micrometer.core.instrument.Gauge.builder("semaphore.task.output.pending.chars", memoryChars)
                .description("Characters of those lines").register(registry);
        io.micrometer.core.instrument.Gauge.builder("semaphore.task.output.spilled.lines", spilledLines)
                .description("Output lines kept in files (beyond what memory holds) until the database takes them")
                .register(registry);
    }

    /** Counts tasks as they end here (by status) with their duration per app, and stored output lines. */
    public TaskEvents.Listener taskListener() {
        return new TaskEvents.Listener() {
            @Override
            public void statusChanged(Task task) {
                if (!ENDED.contains(task.status())) {
                    return;
                }
                tasksEnded(task.status()).increment();
                if (task.start() != null && task.end() != null) {
                    Timer.builder("semaphore.task.duration").description("How long tasks ran, per app")
                            .tag("app", task.tplApp() == null || task.tplApp().isEmpty() ? "ansible" : task.tplApp())
                            .tag("status", task.status())
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(6))
                            .register(registry).record(Duration.between(task.start(), task.end()));
                }
            }

            @Override
            public void output(long projectId, long taskId, List<Instant> times, List<String> lines) {
                logLines.increment(lines.size());
            }
        };
    }

    private Counter tasksEnded(String status) {
        return Counter.builder("semaphore.tasks").description("Tasks that ended on this process, by status")
                .tag("status", status).register(registry);
    }

    private record RequestKind(String method, String route, int status) {
    }

    /** One timer per method, route pattern and status, found without building a meter id per request. */
    private final java.util.Map<RequestKind, Timer> requestTimers = new java.util.concurrent.ConcurrentHashMap<>();

    /** One answered HTTP request: its method, route (the pattern, not the path) and status. */
    public void request(String method, String route, int status, long nanos) {
        requestTimers.computeIfAbsent(new RequestKind(method, route, status), kind -> Timer
                        .builder("semaphore.http.requests").description("HTTP requests by route and status")
                        .tag("method", kind.method()).tag("route", kind.route())
                        .tag("status", String.valueOf(kind.status())).register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The text a Prometheus server scrapes. */
    public String scrape() {
        return registry.scrape();
    }
}
