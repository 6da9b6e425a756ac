package dev.semaphore.task.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.environment.Environment;
import dev.semaphore.secret.KeySecret;
import dev.semaphore.task.Task;
import dev.semaphore.task.TaskEvents;
import dev.semaphore.task.TaskLog;
import dev.semaphore.task.TaskStatus;
import dev.semaphore.task.TaskStore;
import dev.semaphore.task.job.JobSpec;
import dev.semaphore.template.Template;
import dev.semaphore.template.TemplateService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's side of upstream's runner protocol, for whichever server process a runner asks: what
 * a runner should run ({@code GET /api/internal/runners}: its tasks still {@code starting}, each as
 * upstream's {@code JobData} with the keys it uses, decrypted, and its other tasks' statuses), and
 * what it reports ({@code PUT}: log lines, stored masked; statuses, through the state machine;
 * commits). Everything is read from and written to the database, so any process can answer.
 */
public final class RemoteJobs {
    /** A task's secrets, to mask its runner's log lines with, kept a minute. */
    private record Masks(List<String> secrets, long until) {
    }

    private final Database db;
    private final TaskStore store;
    private final TaskLog log;
    private final TaskEvents taskEvents;
    private final TemplateService templates;
    private final JobSources sources;
    private final TaskEngine engine;
    private final Map<Long, Masks> masks = new ConcurrentHashMap<>();

    RemoteJobs(Database db, TaskStore store, TaskLog log, TaskEvents taskEvents, TemplateService templates,
               JobSources sources, TaskEngine engine) {
        this.db = db;
        this.store = store;
        this.log = log;
        this.taskEvents = taskEvents;
        this.templates = templates;
        this.sources = sources;
        this.engine = engine;
    }

    /** Upstream's {@code RunnerState} for a runner: {@code CurrentJobs}, {@code new_jobs}, {@code access_keys}. */
    public ObjectNode state(long runnerId) {
        ObjectNode state = Json.mapper().createObjectNode();
        ArrayNode current = state.putArray("CurrentJobs");
        ArrayNode fresh = state.putArray("new_jobs");
        ObjectNode keys = state.putObject("access_keys");
        for (Task task : db.read(h -> store.ofRunners(h, List.of(runnerId)))) {
            if (task.state() != TaskStatus.STARTING) {
                current.addObject().put("id", task.id()).put("status", task.status());
                continue;
            }
            try {
                fresh.add(jobData(task, keys));
            } catch (RuntimeException unusable) {
                // A key that cannot be used, a repository gone: the task fails here, as a local one would.
                engine.failRemote(task, "the task could not be given to its runner: "
                        + LogSink.mask(unusable.getMessage(), List.of()));
            }
        }
        return state;
    }

    private ObjectNode jobData(Task task, ObjectNode keys) {
        Template template = templates.get(task.projectId(), task.templateId());
        String surveySecrets = db.read(h -> store.secret(h, task.id())).map(sources.keyring()::decrypt).orElse(null);
        JobSpec spec = JobPreparation.prepare(task, template, sources, surveySecrets);
        masks.put(task.id(), new Masks(spec.secrets(), System.currentTimeMillis() + 60_000));
        ObjectNode job = Json.mapper().createObjectNode();
        job.put("Username", task.userName() == null ? "" : task.userName());
        job.putNull("IncomingVersion");
        job.put("Alias", "");
        ObjectNode taskJson = Json.mapper().valueToTree(task);
        if (surveySecrets != null) {
            taskJson.put("secret", surveySecrets); // ours: a secret survey value's runner needs it
        }
        job.set("task", taskJson);
        job.set("template", Json.mapper().valueToTree(template));
        // ours: the project's credential mappings, each with its key under a key id of its own in access_keys
        var hostConfigs = job.putArray("host_configs");
        spec.gitMappings().forEach(m -> hostConfigs.addObject().put("id", m.id()).put("type", m.type())
                .put("host", m.host()).put("ssh_key_id", JobPreparation.mappingKeyId(m)));
        job.set("inventory", spec.inventory() == null ? Json.mapper().createObjectNode()
                : Json.mapper().valueToTree(spec.inventory()));
        job.set("inventory_repository", spec.inventoryRepository() == null ? null
                : Json.mapper().valueToTree(spec.inventoryRepository()));
        job.set("repository", Json.mapper().valueToTree(spec.repository()));
        job.set("environment", environment(task, template));
        spec.keys().forEach((id, secret) -> keys.set(String.valueOf(id), accessKey(id, task.projectId(), secret)));
        return job;
    }

    /**
     * The variable group as upstream sends it to a runner: its JSON and env, and its secrets with their values.
     * A template's several groups go as one, merged in order (a later group's names win), as upstream merges them.
     */
    private ObjectNode environment(Task task, Template template) {
        if (template.environmentIds().isEmpty()) {
            return Json.mapper().createObjectNode().put("json", "{}").put("env", "{}");
        }
        ObjectNode json = null;
        ObjectNode vars = Json.mapper().createObjectNode();
        ObjectNode env = Json.mapper().createObjectNode();
        java.util.Map<String, String[]> secrets = new java.util.LinkedHashMap<>();
        for (long groupId : template.environmentIds()) {
            Environment group = sources.environments().get(task.projectId(), groupId);
            if (json == null) {
                json = Json.mapper().valueToTree(group);
            }
            if (Json.tree(group.json()) instanceof ObjectNode groupVars) {
                vars.setAll(groupVars);
            }
            if (Json.tree(group.env()) instanceof ObjectNode groupEnv) {
                env.setAll(groupEnv);
            }
            for (String type : List.of("var", "env")) {
                sources.environments().secretValues(task.projectId(), groupId, type)
                        .forEach((name, value) -> secrets.put(type + ":" + name, new String[] {type, name, value}));
            }
        }
        json.put("json", vars.toString()).put("env", env.toString());
        ArrayNode list = json.putArray("secrets");
        secrets.values().forEach(s -> list.addObject().put("type", s[0]).put("name", s[1]).put("secret", s[2]));
        return json;
    }

    /** A key as upstream's runner reads it: its type's fields filled with the decrypted secret. */
    private static ObjectNode accessKey(long id, long projectId, KeySecret secret) {
        ObjectNode key = Json.mapper().createObjectNode().put("id", id).put("project_id", projectId);
        key.put("name", "key " + id);
        switch (secret) {
            case KeySecret.Ssh ssh -> key.put("type", "ssh").putObject("ssh").put("login", ssh.login())
                    .put("passphrase", ssh.passphrase()).put("private_key", ssh.privateKey());
            case KeySecret.LoginPassword lp -> key.put("type", "login_password").putObject("login_password")
                    .put("login", lp.login()).put("password", lp.password());
            case KeySecret.Text text -> key.put("type", "string").put("string", text.value());
            case KeySecret.None none -> key.put("type", "none");
        }
        return key;
    }

    /**
     * Upstream's {@code RunnerProgress} from a runner (field names in either case, as Go reads them).
     * A report about a task that is not this runner's is refused whole (400): nothing is applied.
     */
    public void progress(long runnerId, JsonNode body) {
        JsonNode jobs = field(body, "Jobs", "jobs");
        if (jobs == null || jobs.isNull()) {
            return;
        }
        if (!jobs.isArray()) {
            throw ApiException.badRequest("field 'Jobs' must be an array");
        }
        List<Task> tasks = new ArrayList<>();
        for (JsonNode job : jobs) {
            JsonNode id = field(job, "ID", "id");
            if (id == null || !id.canConvertToLong()) {
                throw ApiException.badRequest("each of 'Jobs' needs its task 'ID'");
            }
            Task task = db.read(h -> store.find(h, id.asLong())).orElse(null);
            if (task == null || task.runnerId() == null || task.runnerId() != runnerId) {
                throw ApiException.badRequest("task " + id.asLong() + " is not this runner's");
            }
            tasks.add(task);
        }
        // A task that ended meanwhile (stopped before it began) is not reported on as running: such a job
        // is passed by, the others of the report still count; a report of nothing else is refused, so a
        // runner claiming only that task does not start it.
        int ended = 0;
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode status = field(jobs.get(i), "Status", "status");
            if (tasks.get(i).state().finished() && status != null && TaskStatus.RUNNING.wire().equals(status.asText())) {
                ended++;
            } else {
                apply(tasks.get(i), jobs.get(i));
            }
        }
        if (ended > 0 && ended == tasks.size()) {
            throw ApiException.badRequest("the task" + (ended == 1 ? " has" : "s have") + " ended");
        }
    }

    private void apply(Task task, JsonNode job) {
        JsonNode records = field(job, "LogRecords", "log_records");
        if (records != null && records.isArray() && !records.isEmpty()) {
            List<String> secrets = secretsOf(task);
            List<Instant> times = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (JsonNode record : records) {
                times.add(time(field(record, "time", "Time")));
                JsonNode message = field(record, "message", "Message");
                lines.add(LogSink.mask(message == null ? "" : message.asText(), secrets));
            }
            log.append(task.id(), log.nextLine(task.id()), times, lines);
            taskEvents.output(task.projectId(), task.id(), times, lines);
        }
        JsonNode commit = field(job, "Commit", "commit");
        if (commit != null && commit.isObject()) {
            String hash = text(field(commit, "hash", "Hash"));
            String message = text(field(commit, "message", "Message"));
            db.txRun(h -> store.setCommit(h, task.id(), hash, message));
        }
        JsonNode status = field(job, "Status", "status");
        if (status != null && TaskStatus.known(status.asText())) {
            move(task, TaskStatus.of(status.asText()));
        }
    }

    private void move(Task task, TaskStatus reported) {
        TaskStatus now = task.state();
        if (now == reported || now.finished()) {
            return;
        }
        switch (reported) {
            case RUNNING -> {
                TaskStatus from = now == TaskStatus.STARTING || now == TaskStatus.CONFIRMED ? now : null;
                if (from != null && db.tx(h -> store.move(h, task.id(), from, TaskStatus.RUNNING, TaskStatus.Cause.JOB,
                        from == TaskStatus.STARTING ? Times.now() : null, null))) {
                    engine.announceRemote(task.id());
                }
            }
            case WAITING_CONFIRMATION -> {
                if (db.tx(h -> store.move(h, task.id(), TaskStatus.RUNNING, TaskStatus.WAITING_CONFIRMATION,
                        TaskStatus.Cause.JOB))) {
                    engine.announceRemote(task.id());
                }
            }
            case SUCCESS, ERROR, STOPPED -> {
                masks.remove(task.id());
                TaskStatus end = now == TaskStatus.STOPPING ? TaskStatus.STOPPED : reported;
                engine.finishRemote(task, end, reported == TaskStatus.ERROR && end == TaskStatus.ERROR
                        ? "the runner reported the task failed" : null);
            }
            default -> { }
        }
    }

    private List<String> secretsOf(Task task) {
        Masks known = masks.get(task.id());
        if (known != null && known.until() > System.currentTimeMillis()) {
            return known.secrets();
        }
        try {
            Template template = templates.get(task.projectId(), task.templateId());
            String surveySecrets = db.read(h -> store.secret(h, task.id())).map(sources.keyring()::decrypt).orElse(null);
            List<String> secrets = JobPreparation.prepare(task, template, sources, surveySecrets).secrets();
            masks.put(task.id(), new Masks(secrets, System.currentTimeMillis() + 60_000));
            return secrets;
        } catch (RuntimeException unreadable) {
            return List.of();
        }
    }

    private static JsonNode field(JsonNode node, String upper, String lower) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(upper);
        if (value == null) {
            value = node.get(lower);
        }
        if (value == null) {
            var names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (name.equalsIgnoreCase(upper)) {
                    return node.get(name);
                }
            }
        }
        return value;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }

    private static Instant time(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return Times.now();
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return Times.now();
        }
    }
}
