package dev.semaphore.upstream;

import dev.semaphore.db.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Tasks with their output lines and stages, {@link UpstreamImport#BATCH} tasks a transaction. The
 * output is streamed from upstream (one row a line) into chunks of many lines a row, as this server
 * keeps it, so memory holds one chunk, not a task's log. A task upstream left unfinished cannot go on
 * here: it comes over as failed.
 */
final class TaskCopier {
    private static final int LINES_PER_CHUNK = 1_000;
    private static final int CHUNKS_PER_BATCH = 200;
    private static final Set<String> FINISHED = Set.of("success", "error", "stopped");

    private final Database target;
    private final SourceDatabase source;
    private final IdMap ids;
    private final List<String> problems;
    private final UpstreamImport.Progress progress;
    private final Map<Long, Long> projectOfTemplate = new HashMap<>();
    private final Instant started = Instant.now();
    private long total;
    private long imported;
    private long existing;
    private long skipped;
    private long unfinished;
    private long lines;
    private Instant lastProgress = Instant.EPOCH;

    TaskCopier(Database target, SourceDatabase source, IdMap ids, List<String> problems,
               UpstreamImport.Progress progress) {
        this.target = target;
        this.source = source;
        this.ids = ids;
        this.problems = problems;
        this.progress = progress;
    }

    /** @return the tasks' and the output lines' reports */
    List<UpstreamImport.TableReport> run() {
        total = source.count("task", null);
        target.jdbi().useHandle(h -> UpstreamImport.inTransactions(h, () -> {
            Map<Long, Long> done = ids.of(h, "task");
            h.createQuery("SELECT id, project_id FROM templates").map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
                    .forEach(e -> projectOfTemplate.put(e.getKey(), e.getValue()));
            List<SourceRow> batch = new ArrayList<>();
            source.each("task", null, source.quote("id"), row -> {
                if (done.containsKey(row.id("id"))) {
                    existing++;
                    return;
                }
                batch.add(row);
                if (batch.size() == UpstreamImport.BATCH) {
                    copy(h, batch);
                    batch.clear();
                }
            });
            copy(h, batch);
        }));
        if (skipped > 0) {
            problems.add(skipped + " task(s) were not imported: their template is not here");
        }
        if (unfinished > 0) {
            problems.add(unfinished + " task(s) were still unfinished upstream; they are imported as failed (error)");
        }
        Duration took = Duration.between(started, Instant.now());
        progress.tasks(imported + existing + skipped, total, lines, took);
        return List.of(new UpstreamImport.TableReport("task", imported, existing, skipped, took),
                new UpstreamImport.TableReport("task__output", lines, 0, 0, took));
    }

    private void copy(Handle h, List<SourceRow> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        h.begin();
        Map<Long, Long> copied = new HashMap<>();
        for (SourceRow task : tasks) {
            Long id = insertTask(h, task);
            if (id != null) {
                copied.put(task.id("id"), id);
                ids.put(h, "task", task.id("id"), id);
            }
        }
        if (!copied.isEmpty()) {
            String inBatch = source.quote("task_id") + " IN (" + copied.keySet().stream().map(String::valueOf)
                    .collect(Collectors.joining(",")) + ")";
            List<SourceRow> stages = new ArrayList<>();
            source.each("task__stage", inBatch, source.quote("id"), stages::add);
            Set<Long> stageStarts = new HashSet<>();
            stages.forEach(s -> {
                if (s.id("start_output_id") != null) {
                    stageStarts.add(s.id("start_output_id"));
                }
            });
            Map<Long, Integer> lineOfOutput = output(h, inBatch, copied, stageStarts);
            stages(h, inBatch, stages, copied, lineOfOutput);
        }
        h.commit();
        Instant now = Instant.now();
        if (Duration.between(lastProgress, now).toMillis() >= 1_000) {
            lastProgress = now;
            progress.tasks(imported + existing + skipped, total, lines, Duration.between(started, now));
        }
    }

    private Long insertTask(Handle h, SourceRow task) {
        Long template = ids.target("project__template", task.id("template_id"));
        if (template == null || !projectOfTemplate.containsKey(template)) {
            skipped++;
            return null;
        }
        String status = task.str("status", "error");
        if (!FINISHED.contains(status)) {
            unfinished++;
            status = "error";
        }
        Instant created = task.time("created");
        Instant start = task.time("start");
        Instant end = task.time("end");
        if (created == null) {
            created = start != null ? start : end != null ? end : Instant.EPOCH;
        }
        imported++;
        return h.createUpdate("""
                        INSERT INTO tasks (project_id, template_id, status, user_id, message, playbook, environment,
                            arguments, git_branch, params, commit_hash, commit_message, created, start_time, end_time,
                            version, build_task_id, inventory_id, schedule_id, integration_id)
                        VALUES (:p, :template, :status, :user, :message, :playbook, :environment, :arguments, :branch,
                            :params, :commit, :commitMessage, :created, :start, :end, :version, :build, :inventory,
                            :schedule, :integration)""")
                .bind("p", projectOfTemplate.get(template)).bind("template", template).bind("status", status)
                .bind("user", ids.target("user", task.id("user_id"))).bind("message", task.str("message", ""))
                .bind("playbook", task.str("playbook", "")).bind("environment", task.str("environment"))
                .bind("arguments", task.str("arguments")).bind("branch", task.str("git_branch"))
                .bind("params", blankAsEmptyObject(task.str("params"))).bind("commit", task.str("commit_hash"))
                .bind("commitMessage", task.str("commit_message", "")).bind("created", created).bind("start", start)
                .bind("end", end).bind("version", task.str("version"))
                .bind("build", ids.target("task", task.id("build_task_id")))
                .bind("inventory", ids.target("project__inventory", task.id("inventory_id")))
                .bind("schedule", ids.target("project__schedule", task.id("schedule_id")))
                .bind("integration", ids.target("project__integration", task.id("integration_id")))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    private static String blankAsEmptyObject(String json) {
        return json == null || json.isBlank() || json.equals("null") ? "{}" : json;
    }

    /**
     * Streams the batch's output into chunks.
     * @return the line number (from 1, per task) of each output row a stage starts at
     */
    private Map<Long, Integer> output(Handle h, String inBatch, Map<Long, Long> copied, Set<Long> stageStarts) {
        Map<Long, Integer> lineOfOutput = new HashMap<>();
        PreparedBatch insert = h.prepareBatch(
                "INSERT INTO task_output (task_id, first_line, line_count, content) VALUES (:t, :first, :count, :content)");
        var chunk = new Object() {
            long sourceTask = -1;
            int nextLine = 1;
            int firstLine = 1;
            int count;
            int pending;
            final StringBuilder content = new StringBuilder();

            void close() {
                if (count > 0) {
                    insert.bind("t", copied.get(sourceTask)).bind("first", firstLine).bind("count", count)
                            .bind("content", content.toString()).add();
                    content.setLength(0);
                    firstLine = nextLine;
                    count = 0;
                    if (++pending == CHUNKS_PER_BATCH) {
                        insert.execute();
                        pending = 0;
                    }
                }
            }
        };
        source.each("task__output", inBatch, source.quote("task_id") + ", " + source.quote("id"), row -> {
            long task = row.id("task_id");
            if (task != chunk.sourceTask) {
                chunk.close();
                chunk.sourceTask = task;
                chunk.nextLine = 1;
                chunk.firstLine = 1;
            }
            if (stageStarts.contains(row.id("id"))) {
                lineOfOutput.put(row.id("id"), chunk.nextLine);
            }
            Instant time = row.time("time");
            if (chunk.count > 0) {
                chunk.content.append('\n');
            }
            // A stored chunk is one line per text line: a line break inside upstream's row becomes a space.
            chunk.content.append(time == null ? 0 : time.toEpochMilli()).append('\t')
                    .append(row.str("output", "").replace('\n', ' '));
            chunk.count++;
            chunk.nextLine++;
            lines++;
            if (chunk.count == LINES_PER_CHUNK) {
                chunk.close();
            }
        });
        chunk.close();
        if (chunk.pending > 0) {
            insert.execute();
        }
        return lineOfOutput;
    }

    private void stages(Handle h, String inBatch, List<SourceRow> stages, Map<Long, Long> copied,
                        Map<Long, Integer> lineOfOutput) {
        if (stages.isEmpty()) {
            return;
        }
        Map<Long, String> results = new HashMap<>();
        source.each("task__stage_result", inBatch, null, r -> results.put(r.id("stage_id"), r.str("json")));
        for (SourceRow stage : stages) {
            Long task = copied.get(stage.id("task_id"));
            if (task == null) {
                continue;
            }
            Instant start = stage.time("start");
            h.createUpdate("""
                            INSERT INTO task_stages (task_id, type, first_line, start_time, end_time, result)
                            VALUES (:t, :type, :first, :start, :end, :result)""")
                    .bind("t", task).bind("type", stage.str("type", "running"))
                    .bind("first", lineOfOutput.getOrDefault(stage.id("start_output_id"), 1))
                    .bind("start", start == null ? Instant.EPOCH : start).bind("end", stage.time("end"))
                    .bind("result", results.get(stage.id("id"))).execute();
        }
    }
}
