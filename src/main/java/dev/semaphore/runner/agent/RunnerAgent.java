package dev.semaphore.runner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.Json;
import dev.semaphore.task.TaskStatus;
import dev.semaphore.task.job.Executor;
import dev.semaphore.task.job.JobHooks;
import dev.semaphore.task.job.JobOutput;
import dev.semaphore.task.job.JobResult;
import dev.semaphore.task.job.JobSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code semaphore runner start}: asks its server for jobs (long-polling ours, polling upstream's every
 * second as its runners do), runs each through the same executor the server runs its own jobs with,
 * and reports its output lines (masked, in order, within a tenth of a second), statuses and commit.
 * A job is started only after the server took its "running": a job the server has meanwhile given to
 * another runner is never run here; one the server no longer lists (taken back, force-stopped) is
 * ended. Lines that cannot be sent while the server is unreachable wait and go when it answers again.
 */
public final class RunnerAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerAgent.class);
    private static final int WAIT_SECONDS = 20;
    private static final int FLUSH_MILLIS = 100;

    /** How the agent runs: where jobs' files go, how many at once, whether it stops after one. */
    public record Settings(Path tmp, int maxParallel, boolean oneOff, String webHost, int maxLineLength,
                           int confirmationTimeoutSeconds) {
    }

    private final RunnerClient client;
    private final Executor executor;
    private final Settings settings;
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completed = new AtomicInteger();
    private volatile boolean closed;

    RunnerAgent(RunnerClient client, Executor executor, Settings settings) {
        this.client = client;
        this.executor = executor;
        this.settings = settings;
    }

    /** Runs until closed (or, one-off, until its job is reported). */
    public void run() throws InterruptedException {
        executor.start();
        Thread flusher = Thread.ofVirtual().name("runner-progress").start(this::flushLoop);
        try {
            while (!closed) {
                JsonNode state;
                try {
                    state = client.state(WAIT_SECONDS);
                } catch (RunnerClient.Refused refusal) {
                    LOG.warn("the server refused this runner's poll: {}", refusal.getMessage());
                    Thread.sleep(5_000);
                    continue;
                } catch (IOException unreachable) {
                    LOG.warn("the server cannot be reached: {}", unreachable.getMessage());
                    Thread.sleep(1_000);
                    continue;
                }
                handle(state);
                if (settings.oneOff() && completed.get() > 0 && runs.isEmpty()) {
                    return;
                }
            }
        } finally {
            closed = true;
            flusher.join(5_000);
        }
    }

    private void handle(JsonNode state) {
        if (state.path("clear_cache").asBoolean(false) && runs.isEmpty()) {
            clearCache();
        }
        Set<Long> listed = new HashSet<>();
        JsonNode current = state.has("CurrentJobs") ? state.get("CurrentJobs") : state.path("current_jobs");
        for (JsonNode job : current) {
            long id = job.path("id").asLong(job.path("ID").asLong());
            listed.add(id);
            Run run = runs.get(id);
            if (run == null) {
                continue;
            }
            switch (job.path("status").asText(job.path("Status").asText(""))) {
                case "stopping" -> {
                    run.stopRequested = true;
                    executor.kill(id, false);
                }
                case "confirmed" -> executor.decide(id, true);
                case "rejected" -> executor.decide(id, false);
                default -> { }
            }
        }
        for (JsonNode job : state.path("new_jobs")) {
            long id = job.path("task").path("id").asLong();
            listed.add(id);
            if (!runs.containsKey(id) && !refused.contains(id) && running() < settings.maxParallel()) {
                start(job, state.path("access_keys"));
            }
        }
        for (Run run : runs.values()) {
            if (!run.finished && !listed.contains(run.id)) {
                // The server no longer has it for this runner: force-stopped, or given to another.
                LOG.warn("task {} is no longer this runner's; ending it", run.id);
                run.abandoned = true;
                executor.kill(run.id, true);
            }
        }
    }

    private int running() {
        return (int) runs.values().stream().filter(r -> !r.finished).count();
    }

    private void start(JsonNode job, JsonNode keys) {
        long id = job.path("task").path("id").asLong();
        ObjectNode claim = progress(id, TaskStatus.RUNNING.wire(), List.of(), null);
        int answer;
        try {
            answer = client.progress(claim);
        } catch (IOException e) {
            return; // asked again at the next poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (answer == 400) {
            refused.add(id); // given to another runner meanwhile
            return;
        }
        if (answer != 204) {
            return;
        }
        Run run = new Run(id);
        runs.put(id, run);
        Thread.ofVirtual().name("job-" + id).start(() -> execute(run, job, keys));
    }

    private void execute(Run run, JsonNode job, JsonNode keys) {
        String end;
        try {
            JobSpec spec = new ReceivedJob(job, keys, settings.webHost(), settings.maxLineLength(),
                    settings.confirmationTimeoutSeconds()).spec();
            run.secrets.addAll(spec.secrets());
            JobResult result = executor.run(spec, run, run);
            if (result.failure() != null) {
                run.line(result.failure());
            }
            end = run.stopRequested ? "stopped" : result.succeeded() ? "success" : "error";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end = "error";
        } catch (RuntimeException e) {
            run.line("The runner could not run the task: " + e.getMessage());
            end = "error";
        }
        run.finalStatus = end;
        run.finished = true; // after finalStatus: the flusher reads them in this order
        flush(run);
    }

    private void flushLoop() {
        while (!closed || runs.values().stream().anyMatch(r -> !r.reported)) {
            for (Run run : runs.values()) {
                flush(run);
                if (run.reported) {
                    runs.remove(run.id);
                    completed.incrementAndGet();
                }
            }
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Sends what a run has to say; what cannot be sent now goes back, in order, for the next try. */
    private void flush(Run run) {
        synchronized (run) {
            if (run.reported) {
                return;
            }
            if (run.abandoned && run.finished) {
                run.reported = true; // not ours any more: nothing of it is reported
                return;
            }
            List<ObjectNode> records = new ArrayList<>();
            ObjectNode record;
            while (records.size() < 1_000 && (record = run.records.pollFirst()) != null) {
                records.add(record);
            }
            // The final status goes with the last lines, never before them.
            boolean last = run.finished && run.records.isEmpty();
            String status = last ? run.finalStatus : run.status;
            boolean statusNews = !status.equals(run.sentStatus) || last;
            if (records.isEmpty() && !statusNews && run.commit == null) {
                return;
            }
            ObjectNode commit = run.commit;
            int answer;
            try {
                answer = client.progress(progress(run.id, status, records, commit));
            } catch (IOException | InterruptedException e) {
                answer = -1;
            }
            if (answer == 204) {
                run.sentStatus = status;
                if (commit == run.commit) {
                    run.commit = null;
                }
                run.reported = last;
            } else if (answer == 400) {
                LOG.warn("the server refused the report of task {}: it is no longer this runner's", run.id);
                run.abandoned = true;
                executor.kill(run.id, true);
            } else {
                for (int i = records.size() - 1; i >= 0; i--) {
                    run.records.addFirst(records.get(i));
                }
            }
        }
    }

    /** Upstream's {@code RunnerProgress} with one job, its Go field names as upstream's runners send them. */
    private static ObjectNode progress(long id, String status, List<ObjectNode> records, ObjectNode commit) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode job = body.putArray("Jobs").addObject();
        job.put("ID", id).put("Status", status);
        ArrayNode lines = job.putArray("LogRecords");
        records.forEach(lines::add);
        if (commit != null) {
            job.set("Commit", commit);
        }
        return body;
    }

    private void clearCache() {
        try (var entries = Files.list(settings.tmp())) {
            for (Path entry : entries.toList()) {
                dev.semaphore.execution.PrivateDirectory.removeTree(entry);
            }
            LOG.info("cleared the cache in {}", settings.tmp());
        } catch (IOException | RuntimeException e) {
            LOG.warn("clearing the cache failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        runs.keySet().forEach(id -> executor.kill(id, false));
    }

    /** One job this runner runs: where its output and what it learns wait to be reported. */
    private final class Run implements JobOutput, JobHooks {
        final long id;
        final LinkedBlockingDeque<ObjectNode> records = new LinkedBlockingDeque<>();
        final List<String> secrets = new CopyOnWriteArrayList<>();
        final AtomicInteger next = new AtomicInteger(1);
        volatile String status = TaskStatus.RUNNING.wire();
        volatile String finalStatus;
        volatile String sentStatus = TaskStatus.RUNNING.wire();
        volatile ObjectNode commit;
        volatile boolean finished;
        volatile boolean reported;
        volatile boolean abandoned;
        volatile boolean stopRequested;

        Run(long id) {
            this.id = id;
        }

        @Override
        public void line(String text) {
            records.addLast(Json.mapper().createObjectNode().put("time", Instant.now().toString())
                    .put("message", JobOutput.mask(text, secrets)));
            next.incrementAndGet();
        }

        @Override
        public void mask(String secret) {
            secrets.add(secret);
        }

        @Override
        public int nextLine() {
            return next.get();
        }

        @Override
        public void flush() {
            RunnerAgent.this.flush(this);
        }

        @Override
        public void commit(String hash, String message) {
            commit = Json.mapper().createObjectNode().put("hash", hash).put("message", message);
        }

        @Override
        public void status(TaskStatus status) {
            this.status = status.wire();
            flush();
        }

        @Override
        public void stage(String type, int firstLine) {
            // Upstream's protocol has no stages: the server sees the output only.
        }

        @Override
        public void stageResult(String json) {
        }

        @Override
        public void process(long pid, String started, String group) {
        }
    }
}
