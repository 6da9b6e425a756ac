package dev.semaphore.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.db.Database;
import dev.semaphore.environment.Environment;
import dev.semaphore.environment.EnvironmentService;
import dev.semaphore.integration.Integration;
import dev.semaphore.integration.IntegrationService;
import dev.semaphore.inventory.Inventory;
import dev.semaphore.inventory.InventoryService;
import dev.semaphore.project.Project;
import dev.semaphore.project.ProjectService;
import dev.semaphore.repository.Repository;
import dev.semaphore.repository.RepositoryService;
import dev.semaphore.schedule.Schedule;
import dev.semaphore.schedule.ScheduleService;
import dev.semaphore.secret.AccessKey;
import dev.semaphore.secret.AccessKeyService;
import dev.semaphore.template.AnsibleVariables;
import dev.semaphore.template.Template;
import dev.semaphore.template.TemplateService;
import dev.semaphore.user.User;
import dev.semaphore.view.View;
import dev.semaphore.view.ViewService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Project backups in upstream's format: every object referred to by name, never a secret. A restore
 * makes a new project from one, in one transaction: a backup with a dangling reference, a duplicate
 * name or an object its feature refuses is refused whole (400 naming the object and field), and
 * nothing is written. Keys come back without their secrets, marked unusable until someone sets them;
 * webhook aliases come back as they were (so callers' URLs keep working) unless this server has them.
 */
public final class BackupService {
    /**
     * The backup format this server writes and reads. Upstream's backups carry no version (read as
     * format 1); a backup of a newer format is refused rather than half understood.
     */
    static final int FORMAT_VERSION = 1;
    /** Parts of upstream's backups for what this server does not have (yet): accepted, said, not restored. */
    private static final List<String> NOT_RESTORED = List.of("roles", "secret_storages", "runners", "proxies",
            "workflows", "alerts");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackupService.class);

    private final Database db;
    private final ProjectService projects;
    private final AccessKeyService keys;
    private final RepositoryService repositories;
    private final InventoryService inventories;
    private final EnvironmentService environments;
    private final ViewService views;
    private final TemplateService templates;
    private final ScheduleService schedules;
    private final IntegrationService integrations;
    private final dev.semaphore.hostconfig.HostConfigService hostConfigs;

    public BackupService(Database db, ProjectService projects, AccessKeyService keys, RepositoryService repositories,
                         InventoryService inventories, EnvironmentService environments, ViewService views,
                         TemplateService templates, ScheduleService schedules, IntegrationService integrations,
                         dev.semaphore.hostconfig.HostConfigService hostConfigs) {
        this.hostConfigs = hostConfigs;
        this.integrations = integrations;
        this.db = db;
        this.projects = projects;
        this.keys = keys;
        this.repositories = repositories;
        this.inventories = inventories;
        this.environments = environments;
        this.views = views;
        this.templates = templates;
        this.schedules = schedules;
    }

    /** The project as upstream's backup JSON. */
    public ObjectNode export(long projectId) {
        Project project = projects.get(projectId);
        ObjectNode backup = object();
        backup.put("format_version", FORMAT_VERSION);
        backup.putObject("meta").put("name", project.name()).put("alert", project.alert())
                .put("alert_chat", project.alertChat()).put("max_parallel_tasks", project.maxParallelTasks())
                .put("type", project.type() == null ? "" : project.type())
                .put("task_retention_days", project.taskRetentionDays())
                .put("max_tasks_per_template", project.maxTasksPerTemplate());
        Map<Long, String> keyNames = new HashMap<>();
        ArrayNode keyList = backup.putArray("keys");
        for (AccessKey key : keys.list(projectId, null, null)) {
            keyNames.put(key.id(), key.name());
            keyList.addObject().put("name", key.name()).put("type", key.type()).put("owner", "");
        }
        ArrayNode mappings = backup.putArray("host_configs");
        hostConfigs.list(projectId, null, null).forEach(c -> mappings.addObject().put("type", c.type())
                .put("host", c.host()).put("ssh_key", keyNames.get(c.sshKeyId())));
        Map<Long, String> repositoryNames = new HashMap<>();
        ArrayNode repositoryList = backup.putArray("repositories");
        for (Repository r : repositories.list(projectId, null, null)) {
            repositoryNames.put(r.id(), r.name());
            repositoryList.addObject().put("name", r.name()).put("git_url", r.gitUrl()).put("git_branch", r.gitBranch())
                    .put("ssh_key", keyNames.get(r.sshKeyId()));
        }
        Map<Long, String> inventoryNames = new HashMap<>();
        ArrayNode inventoryList = backup.putArray("inventories");
        for (Inventory i : inventories.list(projectId, null, null)) {
            inventoryNames.put(i.id(), i.name());
            inventoryList.addObject().put("name", i.name()).put("inventory", i.inventory()).put("type", i.type())
                    .put("ssh_key", keyNames.get(i.sshKeyId())).put("become_key", keyNames.get(i.becomeKeyId()))
                    .put("repository", repositoryNames.get(i.repositoryId()));
        }
        Map<Long, String> environmentNames = new HashMap<>();
        ArrayNode environmentList = backup.putArray("environments");
        for (Environment e : environments.list(projectId, null, null)) {
            environmentNames.put(e.id(), e.name());
            environmentList.addObject().put("name", e.name()).put("json", e.json()).put("env", e.env());
        }
        Map<Long, String> viewNames = new HashMap<>();
        ArrayNode viewList = backup.putArray("views");
        for (View v : views.list(projectId)) {
            viewNames.put(v.id(), v.title());
            if (!"all".equals(v.type())) {
                viewList.addObject().put("title", v.title()).put("position", v.position()).put("hidden", v.hidden())
                        .put("type", v.type() == null ? "" : v.type()).put("sort_column", v.sortColumn())
                        .put("sort_reverse", v.sortReverse());
            }
        }
        Map<Long, String> templateNames = new HashMap<>();
        List<Template> all = templates.list(projectId, null, "name", "asc");
        all.forEach(t -> templateNames.put(t.id(), t.name()));
        ArrayNode templateList = backup.putArray("templates");
        for (Template t : all) {
            // Through text: raw JSON fields (survey_vars, task_params) become plain nodes, comparable with a backup's.
            ObjectNode node;
            try {
                node = (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsString(t));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a template that cannot be written as JSON", e);
            }
            List.of("id", "project_id", "tasks", "last_task", "inventory_id", "repository_id", "environment_id",
                    "environment_ids", "view_id", "build_template_id", "vaults").forEach(node::remove);
            node.put("inventory", inventoryNames.get(t.inventoryId())).put("repository", repositoryNames.get(t.repositoryId()))
                    .put("environment", environmentNames.get(t.environmentId())).put("view", viewNames.get(t.viewId()))
                    .put("build_template", templateNames.get(t.buildTemplateId()));
            if (t.environmentIds().size() > 1) {
                // several variable groups (upstream 2.17+), in order; "environment" keeps the first for older readers
                ArrayNode groups = node.putArray("environments");
                t.environmentIds().forEach(g -> groups.add(environmentNames.get(g)));
            }
            ArrayNode vaults = node.putArray("vaults");
            t.vaults().forEach(v -> vaults.addObject().put("name", v.name()).put("type", v.type())
                    .put("vault_key", keyNames.get(v.vaultKeyId())).put("script", v.script()));
            templateList.add(node);
        }
        ArrayNode scheduleList = backup.putArray("schedules");
        for (Schedule s : schedules.list(projectId)) {
            ObjectNode node = scheduleList.addObject().put("name", s.name()).put("cron_format", s.cronFormat())
                    .put("active", s.active()).put("template", templateNames.get(s.templateId()))
                    .put("checkable_repository", repositoryNames.get(s.repositoryId())).put("type", s.type())
                    .put("run_at", s.runAt() == null ? null : s.runAt().toString())
                    .put("delete_after_run", s.deleteAfterRun()).put("timezone", s.timezone());
            node.set("task_params", Json.tree(s.taskParams()));
        }
        ArrayNode integrationList = backup.putArray("integrations");
        for (Integration i : integrations.list(projectId)) {
            ObjectNode node = integrationList.addObject().put("name", i.name()).put("auth_method", i.authMethod())
                    .put("auth_header", i.authHeader()).put("searchable", i.searchable())
                    .put("template", templateNames.get(i.templateId())).put("auth_secret", keyNames.get(i.authSecretId()));
            node.set("task_params", Json.tree(i.taskParams()));
            ArrayNode matchers = node.putArray("matchers");
            integrations.matchers(projectId, i.id()).forEach(m -> matchers.addObject().put("name", m.name())
                    .put("match_type", m.matchType()).put("method", m.method()).put("body_data_type", m.bodyDataType())
                    .put("key", m.key()).put("value", m.value()));
            ArrayNode values = node.putArray("extract_values");
            integrations.values(projectId, i.id()).forEach(v -> values.addObject().put("name", v.name())
                    .put("value_source", v.valueSource()).put("body_data_type", v.bodyDataType()).put("key", v.key())
                    .put("variable", v.variable()).put("variable_type", v.variableType()));
            ArrayNode aliases = node.putArray("aliases");
            integrations.aliasNames(projectId, i.id()).forEach(aliases::add);
        }
        ArrayNode projectAliases = backup.putArray("integration_aliases");
        integrations.aliasNames(projectId, null).forEach(projectAliases::add);
        return backup;
    }

    /** What a restore would make and change, per kind of object: names only (a dry run's answer). */
    public record Preview(String project, Map<String, List<String>> create, Map<String, List<String>> update,
                          List<String> ignored, List<String> notes) {
    }

    /** Thrown inside the restore's transaction to undo a dry run once every check has passed. */
    private static final class DryRun extends RuntimeException {
        private final Preview preview;

        DryRun(Preview preview) {
            super(null, null, false, false);
            this.preview = preview;
        }
    }

    /** Checks a backup as a restore would (every object through its feature) and writes nothing. */
    public Preview preview(User actor, JsonNode backup, boolean canCreate, boolean update) {
        try {
            restore(actor, backup, canCreate, update, true);
            throw new IllegalStateException("a dry run must end in its own rollback");
        } catch (DryRun done) {
            return done.preview;
        }
    }

    /**
     * Makes a new project from a backup, all or nothing; {@code actor} becomes its owner. With
     * {@code update}, restores into the caller's existing project of the backup's name instead:
     * what it lacks is made, what differs is updated (by name), nothing is duplicated, and keys keep
     * their secrets.
     */
    public Project restore(User actor, JsonNode backup, boolean canCreate, boolean update) {
        return restore(actor, backup, canCreate, update, false);
    }

    private Project restore(User actor, JsonNode backup, boolean canCreate, boolean update, boolean dryRun) {
        if (!(backup instanceof ObjectNode root) || !(root.get("meta") instanceof ObjectNode meta)) {
            throw ApiException.badRequest("field 'meta' is required: this is not a project backup");
        }
        String name = meta.path("name").asText("").strip();
        if (name.isEmpty()) {
            throw ApiException.badRequest("field 'meta.name' is required");
        }
        JsonNode version = root.path("format_version");
        if (!version.isMissingNode() && !version.isNull() && (!version.canConvertToInt() || version.asInt() > FORMAT_VERSION)) {
            throw ApiException.badRequest("field 'format_version': this backup is of format " + version
                    + ", written by a newer server; this one reads format " + FORMAT_VERSION + " and upstream's");
        }
        List<String> ignored = ignoredParts(root);
        return db.tx(h -> {
            long id = update ? existingProject(actor, name) : projects.create(actor, new ProjectService.ProjectInput(name,
                    meta.path("alert").asBoolean(), meta.path("alert_chat").isTextual() ? meta.get("alert_chat").asText()
                    : null, meta.path("max_parallel_tasks").asInt(0), meta.path("type").asText(""),
                    meta.path("task_retention_days").asInt(0), meta.path("max_tasks_per_template").asInt(0)),
                    canCreate).id();
            // What the project holds now, as a backup would show it: to tell what differs.
            ObjectNode current = export(id);
            Names keyIds = new Names("keys", current, "name");
            keys.list(id, null, null).forEach(k -> keyIds.existing(k.name(), k.id()));
            each(root, "keys", "name", (key, label) -> {
                String keyName = key.path("name").asText("");
                if (!keyIds.has(keyName)) {
                    keyIds.put(keyName, keys.createPlaceholder(actor, id, keyName, key.path("type").asText("none")).id());
                }
            });
            // Credential mappings, by host: one the project has already is kept as it is.
            java.util.Set<String> mapped = new HashSet<>();
            hostConfigs.list(id, null, null).forEach(c -> mapped.add(c.type() + " " + c.host()));
            each(root, "host_configs", null, (c, label) -> {
                if (mapped.add(c.path("type").asText() + " " + c.path("host").asText())) {
                    ObjectNode body = copy(c, "type", "host");
                    body.put("ssh_key_id", keyIds.resolve(c, "ssh_key", label, null));
                    hostConfigs.create(actor, id, body);
                }
            });
            // A repository without a key uses the project's None key, as upstream's backups expect.
            long none = keys.list(id, null, null).stream().filter(k -> k.type().equals("none")).map(AccessKey::id)
                    .findFirst().orElseGet(keyIds::first);
            Names repositoryIds = new Names("repositories", current, "name");
            repositories.list(id, null, null).forEach(r -> repositoryIds.existing(r.name(), r.id()));
            each(root, "repositories", "name", (r, label) -> {
                ObjectNode body = copy(r, "name", "git_url", "git_branch");
                body.put("ssh_key_id", keyIds.resolve(r, "ssh_key", label, none));
                repositoryIds.upsert(r, "name", () -> repositories.create(actor, id, body).id(),
                        existing -> repositories.update(actor, id, existing, repositories.parse(body)));
            });
            Names inventoryIds = new Names("inventories", current, "name");
            inventories.list(id, null, null).forEach(i -> inventoryIds.existing(i.name(), i.id()));
            each(root, "inventories", "name", (i, label) -> {
                ObjectNode body = copy(i, "name", "inventory", "type");
                setId(body, "ssh_key_id", keyIds.resolveOptional(i, "ssh_key", label));
                setId(body, "become_key_id", keyIds.resolveOptional(i, "become_key", label));
                setId(body, "repository_id", repositoryIds.resolveOptional(i, "repository", label));
                inventoryIds.upsert(i, "name", () -> inventories.create(actor, id, inventories.parseRestored(body)).id(),
                        existing -> inventories.update(actor, id, existing, inventories.parseRestored(body)));
            });
            Names environmentIds = new Names("environments", current, "name");
            environments.list(id, null, null).forEach(e -> environmentIds.existing(e.name(), e.id()));
            each(root, "environments", "name", (e, label) -> {
                ObjectNode body = copy(e, "name", "json", "env");
                environmentIds.upsert(e, "name", () -> environments.create(actor, id, body).id(),
                        existing -> environments.update(actor, id, existing, environments.parse(body)));
            });
            Names viewIds = new Names("views", current, "title");
            views.list(id).forEach(v -> viewIds.existing(v.title(), v.id()));
            each(root, "views", "title", (v, label) -> {
                ObjectNode body = copy(v, "title", "position", "hidden", "sort_column", "sort_reverse");
                viewIds.upsert(v, "title", () -> views.create(actor, id, body).id(),
                        existing -> views.update(actor, id, existing, body));
            });
            Names templateIds = new Names("templates", current, "name");
            templates.list(id, null, "name", "asc").forEach(t -> templateIds.existing(t.name(), t.id()));
            List<JsonNode> ordered = new ArrayList<>();
            root.path("templates").forEach(t -> {
                if (t.path("build_template").isTextual()) {
                    ordered.add(t);
                } else {
                    ordered.add(0, t);
                }
            });
            ObjectNode sorted = object();
            sorted.putArray("templates").addAll(ordered);
            each(sorted, "templates", "name", (t, label) -> {
                ObjectNode body = t.deepCopy();
                AnsibleVariables.dropUnopenable(body.path("task_params"), body.path("survey_vars"));
                List.of("inventory", "repository", "environment", "environments", "view", "build_template", "vaults",
                        "id", "project_id", "tasks", "last_task", "roles", "vault_key", "cron",
                        "environment_ids").forEach(body::remove);
                body.put("repository_id", repositoryIds.resolve(t, "repository", label, null));
                setId(body, "inventory_id", inventoryIds.resolveOptional(t, "inventory", label));
                setId(body, "environment_id", environmentIds.resolveOptional(t, "environment", label));
                if (t.path("environments").isArray()) {
                    ArrayNode groups = body.putArray("environment_ids");
                    int g = 0;
                    for (JsonNode group : t.get("environments")) {
                        ObjectNode named = object();
                        named.set("environment", group);
                        groups.add(environmentIds.resolve(named, "environment", label + ".environments[" + g++ + "]",
                                null));
                    }
                }
                setId(body, "view_id", viewIds.resolveOptional(t, "view", label));
                setId(body, "build_template_id", templateIds.resolveOptional(t, "build_template", label));
                ArrayNode vaults = body.putArray("vaults");
                int v = 0;
                for (JsonNode vault : t.path("vaults")) {
                    ObjectNode out = copy(vault, "name", "type", "script");
                    setId(out, "vault_key_id", keyIds.resolveOptional(vault, "vault_key", label + ".vaults[" + v++ + "]"));
                    vaults.add(out);
                }
                // Upstream's older backups name a template's one vault password key in the template itself.
                if (vaults.isEmpty() && t.path("vault_key").isTextual()) {
                    vaults.addObject().put("name", "").put("type", "password")
                            .put("vault_key_id", keyIds.resolve(t, "vault_key", label, null));
                }
                templateIds.upsert(t, "name", () -> templates.create(actor, id, body).id(),
                        existing -> templates.update(actor, id, existing, body));
            });
            Names scheduleIds = new Names("schedules", current, "name");
            schedules.list(id).forEach(sc -> scheduleIds.existing(sc.name(), sc.id()));
            ArrayNode withLegacy = root.path("schedules") instanceof ArrayNode list ? list.deepCopy() : Json.mapper().createArrayNode();
            // Upstream's older backups keep a template's schedule as its "cron" field.
            root.path("templates").forEach(t -> {
                if (!t.path("cron").asText("").isBlank()) {
                    withLegacy.addObject().put("name", "").put("cron_format", t.get("cron").asText())
                            .put("template", t.path("name").asText());
                }
            });
            ObjectNode scheduleRoot = object();
            scheduleRoot.set("schedules", withLegacy);
            each(scheduleRoot, "schedules", null, (sc, label) -> {
                ObjectNode body = copy(sc, "name", "cron_format", "active", "type", "run_at", "delete_after_run",
                        "timezone", "task_params");
                body.put("template_id", templateIds.resolve(sc, "template", label, null));
                setId(body, "repository_id", repositoryIds.resolveOptional(sc, "checkable_repository", label));
                scheduleIds.upsert(sc, "name", () -> schedules.create(actor, id, body).id(),
                        existing -> schedules.update(actor, id, existing, body));
            });
            Names integrationIds = new Names("integrations", current, "name");
            integrations.list(id).forEach(i -> integrationIds.existing(i.name(), i.id()));
            each(root, "integrations", "name", (i, label) -> {
                if (integrationIds.has(i.path("name").asText())) {
                    return; // kept as it is: its matchers, values and aliases are the project's own by now
                }
                ObjectNode body = copy(i, "name", "auth_method", "auth_header", "searchable", "task_params");
                body.put("template_id", templateIds.resolve(i, "template", label, null));
                setId(body, "auth_secret_id", keyIds.resolveOptional(i, "auth_secret", label));
                long integration = integrations.create(actor, id, body).id();
                integrationIds.put(i.get("name").asText(), integration);
                int n = 0;
                for (JsonNode m : i.path("matchers")) {
                    String at = label + ".matchers[" + n++ + "]";
                    withLabel(at, () -> integrations.addMatcher(actor, id, integration,
                            copy(m, "name", "match_type", "method", "body_data_type", "key", "value")));
                }
                n = 0;
                for (JsonNode v : i.path("extract_values")) {
                    String at = label + ".extract_values[" + n++ + "]";
                    withLabel(at, () -> integrations.addValue(actor, id, integration,
                            copy(v, "name", "value_source", "body_data_type", "key", "variable", "variable_type")));
                }
                i.path("aliases").forEach(a -> integrations.restoreAlias(actor, id, integration, a.asText()));
            });
            if (!update) {
                root.path("integration_aliases").forEach(a -> integrations.restoreAlias(actor, id, null, a.asText()));
            }
            if (dryRun) {
                Map<String, List<String>> made = new java.util.LinkedHashMap<>();
                Map<String, List<String>> changed = new java.util.LinkedHashMap<>();
                for (Names names : List.of(keyIds, repositoryIds, inventoryIds, environmentIds, viewIds, templateIds,
                        scheduleIds, integrationIds)) {
                    made.put(names.kind, names.created());
                    changed.put(names.kind, names.updated());
                }
                throw new DryRun(new Preview(name, made, changed, ignored, notes(root)));
            }
            if (!ignored.isEmpty()) {
                LOG.info("restoring project {}: not restored (not kept by this server): {}", name, String.join("; ", ignored));
            }
            return projects.get(id);
        });
    }

    /** What a backup holds that this server accepts but does not restore, said in a dry run and the log. */
    private static List<String> ignoredParts(ObjectNode root) {
        List<String> ignored = new ArrayList<>();
        for (String part : NOT_RESTORED) {
            if (root.path(part).isArray() && !root.path(part).isEmpty()) {
                ignored.add(part + " (" + root.path(part).size() + ")");
            }
        }
        int index = 0;
        for (JsonNode t : root.path("templates")) {
            if (t.path("roles").isArray() && !t.path("roles").isEmpty()) {
                ignored.add("templates[" + index + "] (" + t.path("name").asText() + ").roles: custom roles' template"
                        + " permissions (project roles apply)");
            }
            for (String dropped : AnsibleVariables.dropUnopenable(t.path("task_params").deepCopy(),
                    t.path("survey_vars").deepCopy())) {
                ignored.add("templates[" + index + "] (" + t.path("name").asText() + ")." + dropped
                        + ": no template may open it to tasks");
            }
            index++;
        }
        return ignored;
    }

    /** What a restored object still needs before it can be used, said in a dry run. */
    private static List<String> notes(ObjectNode root) {
        List<String> notes = new ArrayList<>();
        int index = 0;
        for (JsonNode i : root.path("inventories")) {
            if (i.path("type").asText().equals("file") && i.path("inventory").asText("").isEmpty()) {
                notes.add("inventories[" + index + "] (" + i.path("name").asText() + "): a file inventory with no path"
                        + " yet; set the path of its inventory file before a task uses it");
            }
            index++;
        }
        return notes;
    }

    /** The caller's project of this name, which they may update (for a restore with update). */
    private long existingProject(User actor, String name) {
        Project project = projects.visibleTo(actor).stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no project named " + name + " to update"));
        boolean allowed = projects.access(project.id(), actor)
                .map(a -> a.can(dev.semaphore.security.Permission.UPDATE_PROJECT)).orElse(false);
        if (!allowed) {
            throw ApiException.forbidden("you may not update project " + name);
        }
        return project.id();
    }

    /** Creates each object of a kind, naming it in any refusal; {@code unique} is the field names must not repeat in. */
    private static void each(ObjectNode root, String kind, String unique, ObjectAction action) {
        JsonNode list = root.get(kind);
        if (list == null || list.isNull()) {
            return;
        }
        if (!list.isArray()) {
            throw ApiException.badRequest("field '" + kind + "' must be an array");
        }
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (JsonNode item : list) {
            String label = kind + "[" + index++ + "]";
            if (!(item instanceof ObjectNode object)) {
                throw ApiException.badRequest(label + " must be an object");
            }
            if (unique != null) {
                String value = object.path(unique).asText("");
                label += " (" + value + ")";
                if (!seen.add(value)) {
                    throw ApiException.badRequest(label + ": another of the " + kind + " has the " + unique + " "
                            + value);
                }
            }
            try {
                action.apply(object, label);
            } catch (ApiException e) {
                throw e.getMessage().startsWith(kind + "[") ? e : ApiException.badRequest(label + ": " + e.getMessage());
            }
        }
    }

    @FunctionalInterface
    private interface ObjectAction {
        void apply(ObjectNode item, String label);
    }

    private static void withLabel(String label, Runnable work) {
        try {
            work.run();
        } catch (ApiException e) {
            throw ApiException.badRequest(label + ": " + e.getMessage());
        }
    }

    private static ObjectNode copy(JsonNode from, String... fields) {
        ObjectNode to = object();
        for (String field : fields) {
            if (from.has(field) && !from.get(field).isNull()) {
                to.set(field, from.get(field));
            }
        }
        return to;
    }

    private static void setId(ObjectNode body, String field, Long id) {
        if (id != null) {
            body.put(field, id);
        }
    }

    private static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /** The ids of one kind of restored object, by name, and references to them resolved or refused. */
    private static final class Names {
        private final String kind;
        private final Map<String, Long> ids = new HashMap<>();
        private final List<String> created = new ArrayList<>();
        private final List<String> updated = new ArrayList<>();
        private final Set<String> existing = new HashSet<>();
        private final Map<String, JsonNode> current = new HashMap<>();
        private Long first;

        /** @param backupNow the project as it is, in backup form: what an existing object looks like now */
        Names(String kind, ObjectNode backupNow, String field) {
            this.kind = kind;
            backupNow.path(kind).forEach(item -> current.put(item.path(field).asText(), item));
        }

        /** An object the project has already (made with it, such as the None key, or restored into). */
        void existing(String name, long id) {
            existing.add(name);
            put(name, id);
        }

        List<String> created() {
            return created.stream().filter(n -> !existing.contains(n)).toList();
        }

        List<String> updated() {
            return updated;
        }

        void put(String name, long id) {
            if (!existing.contains(name)) {
                created.add(name);
            }
            ids.put(name, id);
            if (first == null) {
                first = id;
            }
        }

        /** Makes the object, or updates the project's own of that name when it differs from the backup's. */
        void upsert(JsonNode item, String field, java.util.function.LongSupplier create,
                    java.util.function.LongConsumer update) {
            String name = item.path(field).asText("");
            Long id = ids.get(name);
            if (id == null) {
                put(name, create.getAsLong());
            } else if (!item.equals(current.get(name))) {
                update.accept(id);
                updated.add(name);
            }
        }

        boolean has(String name) {
            return ids.containsKey(name);
        }

        long first() {
            return first;
        }

        Long resolveOptional(JsonNode item, String field, String label) {
            JsonNode name = item.get(field);
            if (name == null || name.isNull() || name.asText().isEmpty()) {
                return null;
            }
            Long id = ids.get(name.asText());
            if (id == null) {
                throw ApiException.badRequest(label + ": field '" + field + "' names " + name.asText()
                        + ", which is not among the backup's " + kind);
            }
            return id;
        }

        long resolve(JsonNode item, String field, String label, Long fallback) {
            Long id = resolveOptional(item, field, label);
            if (id == null && fallback == null) {
                throw ApiException.badRequest(label + ": field '" + field + "' is required");
            }
            return id != null ? id : fallback;
        }
    }
}
