package dev.semaphore.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.template.AnsibleVariables;
import dev.semaphore.template.Template;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a task may change of its template's variables, playbook and ansible arguments. Whoever may
 * run tasks may not choose how Ansible connects or which program it starts on the server: those
 * variables and options are refused outright (400), whatever the template allows. Other variables
 * count when they are the template's survey variables or the template allows overriding variables
 * ({@code task_params.allow_override_vars}); otherwise they are ignored and the task's log says so,
 * as upstream clients expect a request to be accepted.
 */
final class TaskOverrides {
    private TaskOverrides() {
    }

    /** A task's variables as they will be stored, and the names the template did not let it set. */
    record Vars(String json, List<String> ignored) {
    }

    /** The template's survey variable names and the ansible_ variables it lets a task set. */
    private static Set<String> allowedNames(Template template) {
        Set<String> names = new HashSet<>();
        Json.tree(template.surveyVars()).forEach(v -> names.add(v.path("name").asText()));
        Json.tree(template.taskParams()).path("allowed_ansible_vars").forEach(v -> names.add(v.asText()));
        return names;
    }

    /**
     * Checks a task's {@code environment} (or {@code secret}) JSON object: dangerous names fail the
     * request; names that are neither survey variables nor allowed by the template are dropped.
     */
    static Vars vars(Template template, String json, String field, Set<String> managersNames) {
        if (json == null) {
            return new Vars(null, List.of());
        }
        ObjectNode given = (ObjectNode) Json.tree(json);
        Set<String> allowed = allowedNames(template);
        allowed.addAll(managersNames);
        boolean overrideAll = Json.tree(template.taskParams()).path("allow_override_vars").asBoolean(false);
        ObjectNode kept = Json.mapper().createObjectNode();
        List<String> ignored = new ArrayList<>();
        given.properties().forEach(entry -> {
            String name = entry.getKey();
            if (AnsibleVariables.dangerous(name)) {
                throw ApiException.badRequest("field '" + field + "': a task may not set " + name
                        + " (it decides how Ansible connects or which program runs on the server)");
            }
            if (allowed.contains(name)) {
                checkValue(field, name, entry.getValue());
                kept.set(name, entry.getValue());
            } else if (name.toLowerCase(Locale.ROOT).startsWith("ansible_")) {
                throw ApiException.badRequest("field '" + field + "': template " + template.name()
                        + " does not let a task set " + name + " (add it to task_params.allowed_ansible_vars)");
            } else if (overrideAll) {
                kept.set(name, entry.getValue());
            } else {
                ignored.add(name);
            }
        });
        return new Vars(kept.isEmpty() ? null : kept.toString(), ignored);
    }

    /**
     * The check each extra variable a task's own {@code -e} argument sets must pass: the same as a
     * task's variables, except that a name the template does not open is refused rather than ignored
     * (ansible would set it).
     */
    static java.util.function.BiConsumer<String, JsonNode> argumentVariables(Template template) {
        Set<String> allowed = allowedNames(template);
        return (name, value) -> {
            if (AnsibleVariables.dangerous(name) || (name.toLowerCase(Locale.ROOT).startsWith("ansible_")
                    && !allowed.contains(name))) {
                throw ApiException.badRequest("field 'arguments': a task may not set " + name + " (template "
                        + template.name() + " does not allow it)");
            }
            checkValue("arguments", name, value);
        };
    }

    private static void checkValue(String field, String name, JsonNode value) {
        String error = AnsibleVariables.valueError(name, value);
        if (error != null) {
            throw ApiException.badRequest("field '" + field + "': " + name + " " + error);
        }
    }
}
