package dev.semaphore.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.semaphore.app.Apps;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.repository.GitUrls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** A template as a request describes it; every field checked, survey variables and task params normalised. */
record TemplateInput(String name, String app, String playbook, String arguments, String description,
                     boolean allowOverrideArgsInTask, boolean allowOverrideBranchInTask, boolean allowParallelTasks,
                     boolean suppressSuccessAlerts, boolean autorun, String type, String startVersion,
                     Long buildTemplateId, Long viewId, Long inventoryId, long repositoryId, List<Long> environmentIds,
                     String gitBranch, ArrayNode surveyVars, List<Template.Vault> vaults, ObjectNode taskParams,
                     String runnerTag, String workingDirectory, boolean suppressErrorAlerts) {

    /** The first variable group, kept as upstream's environment_id. */
    Long environmentId() {
        return environmentIds == null || environmentIds.isEmpty() ? null : environmentIds.get(0);
    }

    /** With the groups an update that names none keeps (upstream keeps a template's groups then). */
    TemplateInput withGroupsIfUnsaid(List<Long> current) {
        return environmentIds != null ? this : new TemplateInput(name, app, playbook, arguments, description,
                allowOverrideArgsInTask, allowOverrideBranchInTask, allowParallelTasks, suppressSuccessAlerts, autorun,
                type, startVersion, buildTemplateId, viewId, inventoryId, repositoryId, current, gitBranch, surveyVars,
                vaults, taskParams, runnerTag, workingDirectory, suppressErrorAlerts);
    }

    private static final Set<String> TERRAFORM_APPS = Set.of("terraform", "tofu", "terragrunt");
    private static final Pattern VAR_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    /** Upstream's survey types: text, an int, a choice, a secret, several lines, several choices. */
    private static final List<String> SURVEY_TYPES = List.of("", "int", "enum", "secret", "text", "select");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    private static final Map<String, String> ANSIBLE_PARAMS = Map.of("allow_debug", "bool",
            "allow_override_inventory", "bool", "allow_override_limit", "bool", "allow_override_tags", "bool",
            "allow_override_skip_tags", "bool", "limit", "strings", "tags", "strings", "skip_tags", "strings",
            "skip_galaxy_install", "bool", "allow_override_skip_galaxy_install", "bool");
    /** What a task may override, for every app. */
    private static final Map<String, String> COMMON_PARAMS = Map.of("allow_override_vars", "bool",
            "allow_override_playbook", "bool", "allowed_ansible_vars", "strings");
    private static final Map<String, String> TERRAFORM_PARAMS = Map.of("allow_destroy", "bool",
            "allow_auto_approve", "bool", "auto_approve", "bool", "override_backend", "bool",
            "backend_filename", "string");

    static String appIds(Apps apps) {
        return String.join(", ", apps.list().stream().map(Apps.App::id).toList());
    }

    static TemplateInput parse(JsonBody body, JsonNode raw, Apps apps) {
        String name = body.optionalString("name").orElse("").trim();
        if (name.isEmpty()) {
            throw ApiException.badRequest("field 'name': template name can not be empty"); // upstream's words
        }
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String app = body.optionalString("app").filter(a -> !a.isEmpty()).orElse("ansible");
        if (!apps.known(app)) {
            throw ApiException.badRequest("field 'app' must be one of " + appIds(apps));
        }
        String playbook = body.optionalString("playbook").orElse("").trim();
        if (playbook.isEmpty() && !TERRAFORM_APPS.contains(app) && !app.equals("pulumi")) {
            throw ApiException.badRequest("field 'playbook' is required for a " + app + " template: template playbook"
                    + " can not be empty");
        }
        if (playbook.startsWith("-") || CONTROL.matcher(playbook).find() || !insideRepository(playbook)) {
            throw ApiException.badRequest("field 'playbook' must be a path inside the repository"
                    + " (relative, without .., not starting with -)");
        }
        String type = body.optionalString("type").orElse("");
        if (!List.of("", "build", "deploy").contains(type)) {
            throw ApiException.badRequest("field 'type' must be \"\", build or deploy");
        }
        Long buildTemplate = id(body, "build_template_id");
        if (type.equals("deploy") && buildTemplate == null) {
            throw ApiException.badRequest("field 'build_template_id' is required for a deploy template");
        }
        return new TemplateInput(name, app, playbook, arguments(body.optionalString("arguments").orElse(null)),
                body.optionalString("description").orElse(null),
                body.bool("allow_override_args_in_task", false), body.bool("allow_override_branch_in_task", false),
                body.bool("allow_parallel_tasks", false), body.bool("suppress_success_alerts", false),
                body.bool("autorun", false), type,
                type.equals("build") ? body.optionalString("start_version").orElse(null) : null,
                type.equals("deploy") ? buildTemplate : null,
                id(body, "view_id"), id(body, "inventory_id"), body.requiredLong("repository_id"),
                environmentIds(body, raw),
                emptyToNull(GitUrls.checkBranch(body.optionalString("git_branch").orElse(""))),
                surveyVars(raw.get("survey_vars")), vaults(raw.get("vaults")), taskParams(app, raw.get("task_params")),
                body.optionalString("runner_tag").filter(t -> !t.isBlank()).orElse(null),
                workingDirectory(app, body), body.bool("suppress_error_alerts", false));
    }

    /**
     * The template's variable groups in order: upstream 2.17+'s {@code environment_ids}, else its older
     * {@code environment_id} (as upstream reads a client that sends only that); null when the request names
     * neither (an update then keeps the template's). A group given twice counts once.
     */
    private static List<Long> environmentIds(JsonBody body, JsonNode raw) {
        JsonNode ids = raw.get("environment_ids");
        if (ids == null || ids.isNull()) {
            if (!raw.has("environment_id")) {
                return null;
            }
            Long one = id(body, "environment_id");
            return one == null ? List.of() : List.of(one);
        }
        if (!ids.isArray()) {
            throw ApiException.badRequest("field 'environment_ids' must be an array of variable group ids");
        }
        java.util.LinkedHashSet<Long> out = new java.util.LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.canConvertToLong() || id.asLong() <= 0) {
                throw ApiException.badRequest("field 'environment_ids' must be an array of variable group ids");
            }
            out.add(id.asLong());
        }
        if (out.size() > 50) {
            throw ApiException.badRequest("field 'environment_ids' may name at most 50 variable groups");
        }
        return List.copyOf(out);
    }

    /** Upstream's working_directory: Ansible only, a directory inside the repository. */
    private static String workingDirectory(String app, JsonBody body) {
        String dir = body.optionalString("working_directory").map(String::trim).orElse(null);
        if (dir == null) {
            return null;
        }
        if (!app.equals("ansible")) {
            throw ApiException.badRequest("field 'working_directory': template working directory is supported only"
                    + " for Ansible templates");
        }
        if (dir.isEmpty()) {
            throw ApiException.badRequest("field 'working_directory': template working directory can not be empty");
        }
        if (dir.length() > 1024 || dir.startsWith("-") || CONTROL.matcher(dir).find() || !insideRepository(dir)) {
            throw ApiException.badRequest("field 'working_directory' must be a directory inside the repository"
                    + " (relative, without .., not starting with -)");
        }
        return dir;
    }

    /** A relative path that stays inside the repository once normalised ({@code a/../../x} does not). */
    static boolean insideRepository(String path) {
        if (path.startsWith("/") || path.startsWith("\\")) {
            return false;
        }
        java.nio.file.Path normal = java.nio.file.Path.of(path).normalize();
        return !normal.isAbsolute() && (normal.getNameCount() == 0 || !normal.getName(0).toString().equals(".."));
    }

    private static Long id(JsonBody body, String field) {
        return body.optionalLong(field).filter(v -> v > 0).orElse(null);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Upstream keeps arguments as the text of a JSON array of strings. */
    private static String arguments(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("field 'arguments' must be a JSON array of strings: " + e.getOriginalMessage());
        }
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("field 'arguments' must be a JSON array of strings");
        }
        node.forEach(item -> {
            if (!item.isTextual()) {
                throw ApiException.badRequest("field 'arguments' must contain only strings");
            }
        });
        return text;
    }

    private static ArrayNode surveyVars(JsonNode node) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("field 'survey_vars' must be an array");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "survey_vars[" + i + "]";
            JsonNode v = node.get(i);
            if (!v.isObject()) {
                throw ApiException.badRequest("field '" + at + "' must be an object");
            }
            String name = v.path("name").asText("");
            if (!VAR_NAME.matcher(name).matches()) {
                throw ApiException.badRequest("field '" + at + ".name' must be a variable name (letters, digits, _)");
            }
            if (AnsibleVariables.dangerous(name)) {
                throw ApiException.badRequest("field '" + at + ".name': " + name + " is an Ansible variable a task"
                        + " may not set (Ansible may run it as part of a command on the server); a survey may set "
                        + AnsibleVariables.safeList());
            }
            if (names.contains(name)) {
                throw ApiException.badRequest("field '" + at + ".name': " + name + " is defined twice");
            }
            names.add(name);
            String type = v.path("type").asText("");
            if (!SURVEY_TYPES.contains(type)) {
                throw ApiException.badRequest("field '" + at + ".type' must be \"\", int, enum, secret, text or select");
            }
            String target = v.path("target").isNull() ? "" : v.path("target").asText("");
            if (!target.isEmpty() && !target.equals("env")) {
                // upstream's words: clients match on them
                throw ApiException.badRequest("field '" + at + ".target': invalid survey variable target: " + target);
            }
            if (target.equals("env") && ProcessEnvironment.reservedInProcess(name)) {
                throw ApiException.badRequest("field '" + at + ".name': " + name + " is reserved: as an environment"
                        + " variable it decides what a task runs or loads");
            }
            ObjectNode clean = out.addObject();
            clean.put("name", name);
            clean.put("title", v.path("title").asText(name));
            clean.put("description", v.path("description").asText(""));
            clean.put("type", type);
            if (!target.isEmpty()) {
                clean.put("target", target);
            }
            clean.put("required", v.path("required").asBoolean(false));
            ArrayNode values = clean.putArray("values");
            JsonNode given = v.get("values");
            if (given != null && !given.isNull()) {
                if (!given.isArray()) {
                    throw ApiException.badRequest("field '" + at + ".values' must be an array");
                }
                given.forEach(value -> values.addObject().put("name", value.path("name").asText(""))
                        .put("value", value.path("value").asText("")));
            }
            if ((type.equals("enum") || type.equals("select")) && values.isEmpty()) {
                throw ApiException.badRequest("field '" + at + ".values' must list the choices of an " + type
                        + " variable");
            }
            clean.set("default_value", defaultValue(at, name, type, v.get("default_value"), values));
        }
        return out;
    }

    /**
     * A survey variable's default as upstream keeps it: null stays null; a text, or a list of texts for a
     * select (one text is taken as a list of it; a list of one as its text for the other types); an enum's and
     * a select's must be among its values, an int's an integer. A secret's is never kept.
     */
    private static JsonNode defaultValue(String at, String name, String type, JsonNode given, ArrayNode values) {
        if (given == null || given.isNull()) {
            return NullNode.instance;
        }
        List<String> texts = new ArrayList<>();
        if (given.isArray()) {
            for (JsonNode item : given) {
                if (!item.isTextual()) {
                    throw ApiException.badRequest("field '" + at + ".default_value' must be a text or a list of texts");
                }
                texts.add(item.asText());
            }
        } else if (given.isValueNode()) {
            texts.add(given.asText());
        } else {
            throw ApiException.badRequest("field '" + at + ".default_value' must be a text or a list of texts");
        }
        if (!type.equals("select") && texts.size() > 1) {
            throw ApiException.badRequest("field '" + at + ".default_value': survey variable \"" + name
                    + "\": default_value must be a string for type \"" + type + "\"");
        }
        if (type.equals("enum") || type.equals("select")) {
            List<String> allowed = new ArrayList<>();
            values.forEach(value -> allowed.add(value.path("value").asText()));
            for (String text : texts) {
                if (!(type.equals("enum") && text.isEmpty()) && !allowed.contains(text)) {
                    throw ApiException.badRequest("field '" + at + ".default_value': survey variable \"" + name
                            + "\": default_value \"" + text + "\" is not in values list");
                }
            }
        }
        if (type.equals("select")) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            texts.forEach(list::add);
            return list;
        }
        String text = texts.isEmpty() ? "" : texts.get(0);
        if (type.equals("int") && !text.isEmpty() && !text.matches("-?\\d+")) {
            throw ApiException.badRequest("field '" + at + ".default_value' must be an integer");
        }
        return TextNode.valueOf(type.equals("secret") ? "" : text);
    }

    private static List<Template.Vault> vaults(JsonNode node) {
        List<Template.Vault> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("field 'vaults' must be an array");
        }
        for (int i = 0; i < node.size(); i++) {
            String at = "vaults[" + i + "]";
            JsonNode v = node.get(i);
            String type = v.path("type").asText("password");
            String name = v.path("name").asText("");
            if (name.length() > 255 || v.path("script").asText("").length() > 1024) {
                throw ApiException.badRequest("field '" + at + "' has a name over 255 or a script over 1024 characters");
            }
            if (type.equals("password")) {
                long key = v.path("vault_key_id").asLong(0);
                if (key <= 0) {
                    throw ApiException.badRequest("field '" + at + ".vault_key_id' is required for a password vault");
                }
                out.add(new Template.Vault(0, name, type, key, null));
            } else if (type.equals("script")) {
                String script = v.path("script").asText("");
                if (script.isBlank() || script.startsWith("-") || CONTROL.matcher(script).find()
                        || !insideRepository(script)) {
                    throw ApiException.badRequest("field '" + at + ".script' must be the path of a vault client"
                            + " script inside the repository (relative, without .., not starting with -)");
                }
                out.add(new Template.Vault(0, name, type, null, script));
            } else {
                throw ApiException.badRequest("field '" + at + ".type' must be password or script");
            }
        }
        return out;
    }

    private static ObjectNode taskParams(String app, JsonNode node) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("field 'task_params' must be an object");
        }
        Map<String, String> known = app.equals("ansible") ? ANSIBLE_PARAMS
                : TERRAFORM_APPS.contains(app) ? TERRAFORM_PARAMS : Map.of();
        node.properties().forEach(entry -> {
            String kind = known.getOrDefault(entry.getKey(), COMMON_PARAMS.get(entry.getKey()));
            JsonNode value = entry.getValue();
            String at = "task_params." + entry.getKey();
            if (kind != null && value.isNull()) {
                return; // a client that sends null for a setting means it has none, as upstream reads it
            }
            if (kind == null) {
                out.set(entry.getKey(), value);
            } else if (kind.equals("bool") && !value.isBoolean()) {
                throw ApiException.badRequest("field '" + at + "' must be a boolean");
            } else if (kind.equals("string") && !value.isTextual()) {
                throw ApiException.badRequest("field '" + at + "' must be a string");
            } else if (kind.equals("strings") && !(value.isArray() && allText(value))) {
                throw ApiException.badRequest("field '" + at + "' must be an array of strings");
            } else {
                out.set(entry.getKey(), value);
            }
        });
        out.path("allowed_ansible_vars").forEach(name -> {
            if (!name.asText().startsWith("ansible_") || AnsibleVariables.dangerous(name.asText())) {
                throw ApiException.badRequest("field 'task_params.allowed_ansible_vars': " + name.asText()
                        + (AnsibleVariables.dangerous(name.asText())
                            ? " is not one a template may open to tasks (Ansible may run it as part of a command on"
                              + " the server); these may be opened: " + AnsibleVariables.safeList()
                            : " is not an ansible_ variable (other variables are allowed with allow_override_vars)"));
            }
        });
        return out;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
