package dev.semaphore.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.secret.Keyring;
import dev.semaphore.template.Template;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.User;
import java.util.List;

/** Tasks: queued from a template with the overrides it allows, read back, stopped, deleted. */
public final class TaskService {
    /** The column this feature keeps sealed with the keyring, for key changes. */
    public static final dev.semaphore.secret.SealedColumn SEALED =
            new dev.semaphore.secret.SealedColumn("tasks", "id", "secret");

    private final Database db;
    private final EventLog events;
    private final TemplateService templates;
    private final TaskEvents taskEvents;
    private final TaskDispatch dispatch;
    private final TaskLog log;
    private final int keepPerTemplate;
    private final TaskStore store = new TaskStore();
    private final InventoryService inventories;
    private final Keyring keyring;

    /** @param keepPerTemplate max_tasks_per_template: finished tasks kept per template (0 = all) */
    public TaskService(Database db, EventLog events, TemplateService templates, InventoryService inventories,
                       Keyring keyring, TaskEvents taskEvents, TaskDispatch dispatch, TaskLog log,
                       int keepPerTemplate) {
        this.keyring = keyring;
        this.inventories = inventories;
        this.db = db;
        this.events = events;
        this.templates = templates;
        this.taskEvents = taskEvents;
        this.dispatch = dispatch;
        this.log = log;
        this.keepPerTemplate = keepPerTemplate;
        taskEvents.subscribe(new TaskEvents.Listener() {
            @Override
            public void statusChanged(Task task) {
                if (task.state() == TaskStatus.SUCCESS && "build".equals(task.tplType())) {
                    autorun(task);
                }
            }
        });
    }

    /**
     * The one way a task is queued, whoever asks: {@code request} is upstream's task body (as
     * {@code POST /tasks}, a schedule's or an integration's task params give it), checked against the
     * template's override rules the same way every time; {@code trigger} says who or what asked, and
     * is recorded on the task.
     */
    public Task enqueue(long projectId, JsonNode request, TaskTrigger trigger) {
        Checked checked = check(projectId, request,
                trigger instanceof TaskTrigger.ByIntegration(long id, var variables) ? variables : java.util.Set.of());
        String secret = checked.request().secret() == null ? null : keyring.encrypt(checked.request().secret());
        return queue(checked.template(), checked.request().withSecret(secret), trigger, checked.build());
    }

    /**
     * Checks stored task params (a schedule's, an integration's) with their template as {@link #enqueue}
     * would, queuing nothing, so a bad one is refused when saved; errors name {@code task_params.<field>}.
     */
    public void validateTaskParams(long projectId, long templateId, String taskParams) {
        com.fasterxml.jackson.databind.node.ObjectNode request =
                Json.tree(taskParams) instanceof com.fasterxml.jackson.databind.node.ObjectNode o ? o.deepCopy()
                        : Json.mapper().createObjectNode();
        request.put("template_id", templateId);
        try {
            check(projectId, request, java.util.Set.of());
        } catch (ApiException e) {
            String message = e.getMessage();
            throw ApiException.badRequest(message.startsWith("field 'template_id'") ? message
                    : message.replaceFirst("field '", "field 'task_params."));
        }
    }

    /** A request checked against its template; {@code build} is the build task a deploy asked to bring in. */
    private record Checked(Template template, TaskRequest request, Task build) {
    }

    /** @param managersNames variable names set by a manager elsewhere (an integration's), taken as survey variables */
    private Checked check(long projectId, JsonNode request, java.util.Set<String> managersNames) {
        if (!(request instanceof com.fasterxml.jackson.databind.node.ObjectNode object)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        JsonBody body = JsonBody.of(object);
        long templateId = body.requiredLong("template_id");
        Template template;
        try {
            template = templates.get(projectId, templateId);
        } catch (ApiException e) {
            throw ApiException.badRequest("field 'template_id': template " + templateId + " not found in this project");
        }
        Task build = null;
        if (object.hasNonNull("build_task_id")) {
            build = buildToDeploy(template, body.requiredLong("build_task_id"));
        }
        return new Checked(template, TaskRequest.parse(template, body, object,
                inventoryId -> db.read(h -> inventories.exists(h, projectId, inventoryId)),
                inventoryId -> db.read(h -> inventories.attachedTo(h, projectId, inventoryId, template.id())),
                managersNames), build);
    }

    /** The build task a deploy brings the version of: a successful task of the deploy's build template. */
    private Task buildToDeploy(Template deploy, long buildTaskId) {
        if (!"deploy".equals(deploy.type()) || deploy.buildTemplateId() == null) {
            throw ApiException.badRequest("field 'build_task_id': template " + deploy.name()
                    + " is not a deploy template with a build template");
        }
        Task build = db.read(h -> store.find(h, deploy.projectId(), buildTaskId)).orElseThrow(() ->
                ApiException.badRequest("field 'build_task_id': task " + buildTaskId + " not found in this project"));
        if (build.templateId() != deploy.buildTemplateId()) {
            throw ApiException.badRequest("field 'build_task_id': task " + buildTaskId + " is not a task of "
                    + deploy.name() + "'s build template");
        }
        if (build.state() != TaskStatus.SUCCESS) {
            throw ApiException.badRequest("field 'build_task_id': task " + buildTaskId + " did not succeed ("
                    + build.status() + ")");
        }
        return build;
    }

    /**
     * Stores a waiting task and wakes the dispatcher. A build template's task gets the next version
     * (its start version first, then the last version with its last number incremented); a deploy
     * started by a build carries that build's version.
     */
    private Task queue(Template template, TaskRequest request, TaskTrigger trigger, Task asked) {
        long projectId = template.projectId();
        long templateId = template.id();
        Long actorId = trigger instanceof TaskTrigger.ByUser(User user) ? user.id() : null;
        Task build = trigger instanceof TaskTrigger.ByBuild(Task b) ? b : asked;
        Task created = db.tx(h -> {
            String version = build == null ? null : build.version();
            if (template.type().equals("build")) {
                version = store.lastVersion(h, templateId).map(TaskService::nextVersion)
                        .orElse(template.startVersion());
            }
            long id = store.insert(h, new TaskStore.NewTask(projectId, templateId, actorId, request.message(),
                    request.environment(), request.arguments(), request.branch(), request.params(), version,
                    build == null ? null : build.id(), request.playbook(), request.inventoryId(),
                    request.secret(), request.commitHash(),
                    trigger instanceof TaskTrigger.BySchedule(long schedule) ? schedule : null,
                    trigger instanceof TaskTrigger.ByIntegration(long integration, var variables) ? integration : null));
            events.record(h, actorId, projectId, ObjectType.TASK, id, template.name(),
                    "Task " + id + " of " + template.name() + " queued " + trigger.describe());
            int ownKeep = store.projectKeepPerTemplate(h, projectId);
            int keep = ownKeep > 0 ? ownKeep : keepPerTemplate;
            if (keep > 0) {
                // The new task will count once it finishes; room is made for it now.
                store.finishedBeyond(h, templateId, keep - 1).forEach(old -> store.delete(h, old));
            }
            return store.find(h, projectId, id).orElseThrow();
        });
        if (!request.notices().isEmpty()) {
            // The task's log opens with what its request asked for and did not get.
            log.append(created.id(), 1, request.notices().stream().map(n -> Times.now()).toList(), request.notices());
        }
        announce(created.id());
        dispatch.wake();
        return created;
    }

    /** After a build succeeds, its deploy templates marked autorun get a task carrying the build's version. */
    void autorun(Task build) {
        for (Template deploy : templates.list(build.projectId(), null, "name", "asc")) {
            if (deploy.type().equals("deploy") && deploy.autorun()
                    && Long.valueOf(build.templateId()).equals(deploy.buildTemplateId())) {
                enqueue(build.projectId(), Json.mapper().createObjectNode().put("template_id", deploy.id())
                        .put("message", "Autorun after build task " + build.id()), new TaskTrigger.ByBuild(build));
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

    /** Upstream's per-day task statistics of the project (or one of its templates). */
    List<TaskStats.Day> stats(long projectId, TaskStats.Query query) {
        if (query.templateId() != null) {
            templates.get(projectId, query.templateId());
        }
        return db.read(h -> TaskStats.of(h, projectId, query));
    }

    public Task get(long projectId, long id) {
        return db.read(h -> store.find(h, projectId, id)).orElseThrow(() -> notFound(id));
    }

    /** Every task not yet finished, across projects: the admin's view of the queue. */
    List<java.util.Map<String, Object>> queue() {
        return db.read(store::unfinished);
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
                text.append(TaskLog.withoutColours(line.output())).append('\n');
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

    /** Upstream's admin {@code DELETE /api/tasks/{id}}: a graceful stop of the task if it is queued or running. */
    void stopAnywhere(User actor, long id) {
        db.read(h -> store.find(h, id)).filter(t -> !t.state().finished())
                .ifPresent(task -> stop(actor, task.projectId(), id, false));
    }

    void stop(User actor, long projectId, long id, boolean force) {
        Task task = get(projectId, id);
        // Null: the task had already ended, and stopping it changes nothing (204, as upstream).
        Boolean moved = db.tx(h -> {
            TaskStatus now = store.status(h, id).orElseThrow(() -> notFound(id));
            if (now.finished()) {
                return null;
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
        if (moved == null) {
            return;
        }
        if (!moved) {
            dispatch.kill(id, false);
            return;
        }
        announce(id);
        dispatch.kill(id, force);
        dispatch.wake();
    }

    /** Stops every queued and running task of a template; returns how many. */
    int stopAll(User actor, long projectId, long templateId, boolean force) {
        templates.get(projectId, templateId);
        List<Task> active = db.read(h -> store.ofProject(h, projectId,
                new TaskStore.Filter(templateId, null, null, 0, 1000, null))).stream()
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
        announce(id);
        dispatch.decide(id, confirm);
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

    /** Tells watchers the task's current state. */
    private void announce(long taskId) {
        db.read(h -> store.find(h, taskId)).ifPresent(taskEvents::statusChanged);
    }

    /** As upstream: a task id that is not one of the project's (another's, or none) is a bad request, not a 404. */
    private static ApiException notFound(long id) {
        return ApiException.badRequest("task " + id + " is not a task of this project");
    }
}
