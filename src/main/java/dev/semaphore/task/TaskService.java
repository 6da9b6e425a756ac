package dev.semaphore.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.repository.GitUrls;
import dev.semaphore.secret.Keyring;
import dev.semaphore.template.Template;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.User;
import java.util.ArrayList;
import java.util.List;

/** Tasks: queued from a template with the overrides it allows, read back, stopped, deleted. */
public final class TaskService {
    private final Database db;
    private final EventLog events;
    private final TemplateService templates;
    private final TaskEngine engine;
    private final TaskLog log;
    private final int keepPerTemplate;
    private final TaskStore store = new TaskStore();
    private final InventoryService inventories;
    private final Keyring keyring;

    /** @param keepPerTemplate max_tasks_per_template: finished tasks kept per template (0 = all) */
    public TaskService(Database db, EventLog events, TemplateService templates, InventoryService inventories,
                       Keyring keyring, TaskEngine engine, TaskLog log, int keepPerTemplate) {
        this.keyring = keyring;
        this.inventories = inventories;
        this.db = db;
        this.events = events;
        this.templates = templates;
        this.engine = engine;
        this.log = log;
        this.keepPerTemplate = keepPerTemplate;
        engine.events().subscribe(new TaskEvents.Listener() {
            @Override
            public void statusChanged(Task task) {
                if (task.state() == TaskStatus.SUCCESS && "build".equals(task.tplType())) {
                    autorun(task);
                }
            }
        });
    }

    Task create(User actor, long projectId, JsonBody body, JsonNode raw) {
        long templateId = body.requiredLong("template_id");
        Template template;
        try {
            template = templates.get(projectId, templateId);
        } catch (ApiException e) {
            throw ApiException.badRequest("field 'template_id': template " + templateId + " not found in this project");
        }
        String message = body.optionalString("message").orElse("");
        if (message.length() > 1024) {
            throw ApiException.badRequest("field 'message' must be at most 1024 characters");
        }
        String branch = body.optionalString("git_branch").filter(b -> !b.isEmpty()).orElse(null);
        if (branch != null) {
            if (!template.allowOverrideBranchInTask()) {
                throw ApiException.badRequest("field 'git_branch': template " + template.name()
                        + " does not allow overriding the branch");
            }
            GitUrls.checkBranch(branch);
        }
        String arguments = body.optionalString("arguments").filter(a -> !a.isBlank()).orElse(null);
        if (arguments != null) {
            if (!template.allowOverrideArgsInTask()) {
                throw ApiException.badRequest("field 'arguments': template " + template.name()
                        + " does not allow overriding arguments");
            }
            requireJson(arguments, "arguments", true);
            if (template.app().equals("ansible")) {
                TaskOverrides.checkAnsibleArguments(template, arguments);
            }
        }
        List<String> notices = new ArrayList<>();
        String environment = body.optionalString("environment").filter(e -> !e.isBlank()).orElse(null);
        if (environment != null) {
            requireJson(environment, "environment", false);
            TaskOverrides.Vars vars = TaskOverrides.vars(template, environment, "environment");
            environment = vars.json();
            ignoredVars(template, vars, notices);
        }
        String paramsText = TaskParams.forNewTask(template, raw).toString();
        String playbook = body.optionalString("playbook").map(String::trim).filter(pb -> !pb.isEmpty()).orElse(null);
        if (playbook != null && (playbook.startsWith("-") || playbook.startsWith("/")
                || List.of(playbook.split("/")).contains("..") || playbook.chars().anyMatch(c -> c < 0x20))) {
            throw ApiException.badRequest("field 'playbook' must be a path inside the repository");
        }
        if (playbook != null && !playbook.equals(template.playbook())
                && !Json.tree(template.taskParams()).path("allow_override_playbook").asBoolean(false)) {
            notices.add("Ignored the task's playbook " + playbook + ": template " + template.name()
                    + " runs " + template.playbook() + " (task_params.allow_override_playbook is off).");
            playbook = null;
        }
        Long inventoryId = raw.hasNonNull("inventory_id") ? body.requiredLong("inventory_id") : null;
        if (inventoryId != null && !inventoryId.equals(template.inventoryId())) {
            if (!Json.tree(template.taskParams()).path("allow_override_inventory").asBoolean(false)) {
                throw ApiException.badRequest("field 'inventory_id': template " + template.name()
                        + " does not allow overriding the inventory");
            }
            if (!db.read(h -> inventories.exists(h, projectId, inventoryId))) {
                throw ApiException.badRequest("field 'inventory_id': inventory " + inventoryId
                        + " not found in this project");
            }
        }
        String commit = body.optionalString("commit_hash").map(String::trim).filter(c -> !c.isEmpty()).orElse(null);
        if (commit != null && !commit.matches("[0-9a-fA-F]{7,40}")) {
            throw ApiException.badRequest("field 'commit_hash' must be a commit id (7 to 40 hex digits)");
        }
        String secret = body.optionalString("secret").filter(sv -> !sv.isBlank() && !sv.equals("{}")).orElse(null);
        if (secret != null) {
            requireJson(secret, "secret", false);
            TaskOverrides.Vars vars = TaskOverrides.vars(template, secret, "secret");
            secret = vars.json();
            ignoredVars(template, vars, notices);
        }
        return queue(actor, template, new Request(message, environment, arguments, branch, paramsText, playbook,
                inventoryId, null, null, secret == null ? null : keyring.encrypt(secret), commit, notices));
    }

    private static void ignoredVars(Template template, TaskOverrides.Vars vars, List<String> notices) {
        if (!vars.ignored().isEmpty()) {
            notices.add("Ignored the task's variables " + String.join(", ", vars.ignored()) + ": template "
                    + template.name() + " takes only its survey variables (task_params.allow_override_vars is off).");
        }
    }

    /** What a new task asks for beyond its template. */
    private record Request(String message, String environment, String arguments, String branch, String params,
                           String playbook, Long inventoryId, String buildVersion, Long buildTaskId,
                           String sealedSecret, String commitHash, List<String> notices) {
    }

    /**
     * Stores a waiting task and wakes the engine. A build template's task gets the next version
     * (its start version first, then the last version with its last number incremented); a deploy
     * started by a build carries that build's version.
     */
    private Task queue(User actor, Template template, Request request) {
        long projectId = template.projectId();
        long templateId = template.id();
        Long actorId = actor == null ? null : actor.id();
        Task created = db.tx(h -> {
            String version = request.buildVersion();
            if (template.type().equals("build")) {
                version = store.lastVersion(h, templateId).map(TaskService::nextVersion)
                        .orElse(template.startVersion());
            }
            long id = store.insert(h, new TaskStore.NewTask(projectId, templateId, actorId, request.message(),
                    request.environment(), request.arguments(), request.branch(), request.params(), version,
                    request.buildTaskId(), request.playbook(), request.inventoryId(), request.sealedSecret(),
                    request.commitHash()));
            events.record(h, actorId, projectId, ObjectType.TASK, id, template.name(),
                    "Task " + id + " of " + template.name() + " queued"
                            + (request.buildTaskId() == null ? "" : " by build task " + request.buildTaskId()));
            if (keepPerTemplate > 0) {
                // The new task will count once it finishes; room is made for it now.
                store.finishedBeyond(h, templateId, keepPerTemplate - 1).forEach(old -> store.delete(h, old));
            }
            return store.find(h, projectId, id).orElseThrow();
        });
        if (!request.notices().isEmpty()) {
            // The task's log opens with what its request asked for and did not get.
            log.append(created.id(), 1, request.notices().stream().map(n -> Times.now()).toList(), request.notices());
        }
        engine.announce(created.id());
        engine.wake();
        return created;
    }

    /** After a build succeeds, its deploy templates marked autorun get a task carrying the build's version. */
    void autorun(Task build) {
        for (Template deploy : templates.list(build.projectId(), null, "name", "asc")) {
            if (deploy.type().equals("deploy") && deploy.autorun()
                    && Long.valueOf(build.templateId()).equals(deploy.buildTemplateId())) {
                queue(null, deploy, new Request("Autorun after build task " + build.id(), null, null, null, "{}",
                        null, null, build.version(), build.id(), null, null, List.of()));
            }
        }
    }

    /** "1.4.9" → "1.4.10", "v2-rc7" → "v2-rc8": the last number goes up, the rest stays. */
    static String nextVersion(String last) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(\\D*)$").matcher(last);
        if (!m.find()) {
            return last + ".1";
        }
        return last.substring(0, m.start(1)) + new java.math.BigInteger(m.group(1)).add(java.math.BigInteger.ONE)
                + m.group(2);
    }

    public List<Task> list(long projectId, Long templateId, int limit) {
        return list(projectId, TaskStore.Filter.ofTemplate(templateId, limit));
    }

    List<Task> list(long projectId, TaskStore.Filter filter) {
        if (filter.templateId() != null) {
            templates.get(projectId, filter.templateId());
        }
        if (filter.status() != null && !TaskStatus.known(filter.status())) {
            throw ApiException.badRequest("query parameter 'status' must be one of "
                    + String.join(", ", TaskStatus.NAMES));
        }
        return db.read(h -> store.ofProject(h, projectId, filter));
    }

    public Task get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    /** Every task not yet finished, across projects: the admin's view of the queue. */
    List<java.util.Map<String, Object>> queue() {
        return db.read(h -> h.createQuery("""
                        SELECT t.id, t.project_id, t.status, u.username, p.name AS project_name FROM tasks t
                        JOIN projects p ON p.id = t.project_id LEFT JOIN users u ON u.id = t.user_id
                        WHERE t.status NOT IN (<done>) ORDER BY t.id""")
                .bindList("done", TaskStore.wire(TaskStatus.FINISHED))
                .map((rs, ctx) -> {
                    java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
                    row.put("task_id", rs.getLong("id"));
                    row.put("project_id", rs.getLong("project_id"));
                    row.put("username", rs.getString("username"));
                    row.put("runner_id", null);
                    row.put("status", rs.getString("status"));
                    row.put("location", "local");
                    row.put("runner_name", null);
                    row.put("project_name", rs.getString("project_name"));
                    return row;
                })
                .list());
    }

    /** Output lines {@code offset+1 .. offset+limit}, each with the stage it belongs to. */
    List<TaskLog.Line> output(long projectId, long id, long offset, int limit) {
        get(projectId, id);
        List<TaskStages.Stage> stages = db.read(h -> TaskStages.list(h, id));
        List<TaskLog.Line> lines = log.read(id, offset, limit);
        if (stages.isEmpty()) {
            return lines;
        }
        return lines.stream().map(line -> {
            Long stage = null;
            for (TaskStages.Stage s : stages) {
                if (s.firstLine() <= line.id()) {
                    stage = s.id();
                }
            }
            return line.inStage(stage);
        }).toList();
    }

    /** Writes the whole output as text without colour codes, a chunk of lines at a time. */
    void rawOutput(long projectId, long id, java.io.OutputStream out) throws java.io.IOException {
        get(projectId, id);
        int chunk = 10_000;
        for (long offset = 0; ; offset += chunk) {
            List<TaskLog.Line> lines = log.read(id, offset, chunk);
            StringBuilder text = new StringBuilder();
            for (TaskLog.Line line : lines) {
                text.append(AnsibleOutput.ANSI.matcher(line.output()).replaceAll("")).append('\n');
            }
            out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (lines.size() < chunk) {
                return;
            }
        }
    }

    List<TaskStages.Stage> stages(long projectId, long id) {
        get(projectId, id);
        return db.read(h -> TaskStages.list(h, id));
    }

    /** Ansible's recap ({@code hosts}) or failures ({@code errors}) as read from the output. */
    com.fasterxml.jackson.databind.JsonNode ansible(long projectId, long id, String part) {
        com.fasterxml.jackson.databind.node.ArrayNode out = Json.mapper().createArrayNode();
        for (TaskStages.Stage stage : stages(projectId, id)) {
            if (stage.result() != null) {
                Json.tree(stage.result()).path(part).forEach(out::add);
            }
        }
        return out;
    }

    void stop(User actor, long projectId, long id, boolean force) {
        Task task = get(projectId, id);
        boolean moved = db.tx(h -> {
            TaskStatus now = store.status(h, id).orElseThrow(() -> notFound(id));
            if (now.finished()) {
                throw ApiException.badRequest("task " + id + " is not active (" + now + ")");
            }
            if (now == TaskStatus.STOPPING && !force) {
                return false; // asked already
            }
            TaskStatus to = now == TaskStatus.WAITING || force ? TaskStatus.STOPPED : TaskStatus.STOPPING;
            if (!store.move(h, id, now, to, TaskStatus.Cause.USER, null, to == TaskStatus.STOPPED ? Times.now() : null)) {
                throw ApiException.badRequest("task " + id + " changed meanwhile; try again");
            }
            events.record(h, actor.id(), projectId, ObjectType.TASK, id, task.tplAlias(),
                    "Task " + id + (force ? " force-stopped" : " stopped") + " by " + actor.username());
            return true;
        });
        if (!moved) {
            engine.kill(id, false);
            return;
        }
        engine.announce(id);
        engine.kill(id, force);
        engine.wake();
    }

    /** Stops every queued and running task of a template; returns how many. */
    int stopAll(User actor, long projectId, long templateId, boolean force) {
        templates.get(projectId, templateId);
        List<Task> active = db.read(h -> store.ofProject(h, projectId,
                new TaskStore.Filter(templateId, null, null, 0, 1000))).stream()
                .filter(t -> !t.state().finished()).toList();
        for (Task task : active) {
            try {
                stop(actor, projectId, task.id(), force);
            } catch (ApiException finishedMeanwhile) {
                // it ended between the read and the stop
            }
        }
        return active.size();
    }

    /** Confirms (applies) or rejects a Terraform plan the task is paused on. */
    void decide(User actor, long projectId, long id, boolean confirm) {
        Task task = get(projectId, id);
        TaskStatus to = confirm ? TaskStatus.CONFIRMED : TaskStatus.REJECTED;
        boolean moved = db.tx(h -> {
            if (!store.move(h, id, TaskStatus.WAITING_CONFIRMATION, to, TaskStatus.Cause.USER)) {
                return false;
            }
            events.record(h, actor.id(), projectId, ObjectType.TASK, id, task.tplAlias(),
                    "Task " + id + (confirm ? " confirmed" : " rejected") + " by " + actor.username());
            return true;
        });
        if (!moved) {
            throw ApiException.badRequest("task " + id + " is not waiting for confirmation (" + task.status() + ")");
        }
        engine.announce(id);
        engine.decide(id, confirm);
    }

    void delete(User actor, long projectId, long id) {
        Task task = get(projectId, id);
        if (!task.state().finished() && task.state() != TaskStatus.WAITING) {
            throw ApiException.badRequest("task " + id + " is " + task.status() + "; stop it before deleting it");
        }
        db.txRun(h -> {
            store.delete(h, id);
            events.record(h, actor.id(), projectId, ObjectType.TASK, id, task.tplAlias(), "Task " + id + " deleted");
        });
    }

    private static void requireJson(String text, String field, boolean array) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (array ? !node.isArray() : !node.isObject()) {
                throw ApiException.badRequest("field '" + field + "' must be a JSON " + (array ? "array" : "object"));
            }
            if (array) {
                node.forEach(item -> {
                    if (!item.isTextual()) {
                        throw ApiException.badRequest("field '" + field + "' must contain only strings");
                    }
                });
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("field '" + field + "' is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("task " + id + " not found");
    }
}
