package dev.semaphore.task;

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
    /** ansible-playbook options that run a program, read a file as code or change the connection. */
    private static final List<String> DANGEROUS_OPTIONS = List.of("--ssh-common-args", "--ssh-extra-args",
            "--sftp-extra-args", "--scp-extra-args", "--connection", "--vault-password-file", "--vault-pass-file",
            "--vault-id", "--inventory", "--inventory-file", "--module-path", "--become-method", "--become-exe",
            "--become-password-file", "--connection-password-file", "--private-key", "--key-file");

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
    static Vars vars(Template template, String json, String field) {
        if (json == null) {
            return new Vars(null, List.of());
        }
        ObjectNode given = (ObjectNode) Json.tree(json);
        Set<String> allowed = allowedNames(template);
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
     * A task's own ansible-playbook arguments (when the template allows them): options that change
     * the connection or load code or passwords from a file are refused, and so are extra variables
     * ({@code -e}) from a file, with a Jinja2 template (evaluated on the server) or with names no
     * task may set.
     */
    static void checkAnsibleArguments(Template template, String argumentsJson) {
        List<String> args = new ArrayList<>();
        Json.tree(argumentsJson).forEach(item -> args.add(item.asText()));
        Set<String> allowed = allowedNames(template);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String extraVars = null;
            if (option.equals("--extra-vars") || option.equals("-e")) {
                extraVars = arg.contains("=") && arg.startsWith("--") ? arg.substring(arg.indexOf('=') + 1)
                        : i + 1 < args.size() ? args.get(++i) : "";
            } else if (arg.startsWith("-e") && !arg.startsWith("--")) {
                extraVars = arg.substring(2);
            } else if (DANGEROUS_OPTIONS.contains(option) || (!arg.startsWith("--") && arg.startsWith("-")
                    && arg.length() > 1 && arg.substring(1).chars().anyMatch(c -> "ciMe".indexOf(c) >= 0))) {
                throw ApiException.badRequest("field 'arguments': a task may not pass " + option
                        + " (it changes how Ansible connects or reads code from the server)");
            }
            if (extraVars != null) {
                checkExtraVarsArgument(template, extraVars, allowed);
            }
        }
    }

    private static void checkExtraVarsArgument(Template template, String value, Set<String> allowed) {
        String text = value.strip();
        if (text.startsWith("@")) {
            throw ApiException.badRequest("field 'arguments': a task may not load extra variables from a file ("
                    + text + ")");
        }
        if (text.contains("{{") || text.contains("{%")) {
            throw ApiException.badRequest("field 'arguments': extra variables may not contain a Jinja2 template"
                    + " ({{ or {%), which Ansible would evaluate on the server");
        }
        List<String> names = new ArrayList<>();
        if (text.startsWith("{")) {
            Json.tree(text).fieldNames().forEachRemaining(names::add);
        } else {
            for (String pair : text.split("\\s+")) {
                names.add(pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair);
            }
        }
        for (String name : names) {
            if (AnsibleVariables.dangerous(name) || (name.toLowerCase(Locale.ROOT).startsWith("ansible_") && !allowed.contains(name))) {
                throw ApiException.badRequest("field 'arguments': a task may not set " + name
                        + " (template " + template.name() + " does not allow it)");
            }
        }
    }
}
