package dev.semaphore.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import dev.semaphore.repository.GitUrls;
import dev.semaphore.template.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * What a new task asks for beyond its template, checked against the template's override rules:
 * refused with a 400 naming the field, or ignored and noted ({@code notices}, the first lines of the
 * task's log) where upstream clients expect the request to be taken. {@code secret} holds the secret
 * survey values, in clear until {@link #withSecret} seals them.
 */
record TaskRequest(String message, String environment, String arguments, String branch, String params,
                   String playbook, Long inventoryId, String secret, String commitHash, List<String> notices) {

    TaskRequest withSecret(String sealed) {
        return new TaskRequest(message, environment, arguments, branch, params, playbook, inventoryId, sealed,
                commitHash, notices);
    }

    /**
     * @param attached whether an inventory is one of the template's workspaces, which a task may always choose
     * @param managersNames variable names a manager set outside the template (an integration's), kept as survey ones
     */
    static TaskRequest parse(Template template, JsonBody body, JsonNode raw, LongPredicate inventoryExists,
                             LongPredicate attached, java.util.Set<String> managersNames) {
        String message = body.optionalString("message").orElse("");
        if (message.length() > 1024) {
            throw ApiException.badRequest("field 'message' must be at most 1024 characters");
        }
        // What the template does not let a task override is ignored and said in the task's log, as upstream
        // accepts such a task; what could reach beyond the template (see TaskOverrides) is refused.
        List<String> notices = new ArrayList<>();
        String branch = body.optionalString("git_branch").filter(b -> !b.isEmpty()).orElse(null);
        if (branch != null && !template.allowOverrideBranchInTask()) {
            notices.add("Ignored the task's branch " + branch + ": template " + template.name()
                    + " does not allow overriding the branch.");
            branch = null;
        }
        if (branch != null) {
            GitUrls.checkBranch(branch);
        }
        String arguments = body.optionalString("arguments").filter(a -> !a.isBlank() && !a.equals("[]")).orElse(null);
        if (arguments != null && !template.allowOverrideArgsInTask()) {
            notices.add("Ignored the task's arguments " + arguments + ": template " + template.name()
                    + " does not allow overriding arguments.");
            arguments = null;
        }
        if (arguments != null) {
            requireJson(arguments, "arguments", true);
            arguments = TaskArguments.check(template.app(), arguments, TaskOverrides.argumentVariables(template),
                    Json.tree(template.taskParams()).path("allow_override_playbook").asBoolean(false));
        }
        String environment = body.optionalString("environment").filter(e -> !e.isBlank()).orElse(null);
        if (environment != null) {
            requireJson(environment, "environment", false);
            TaskOverrides.Vars vars = TaskOverrides.vars(template, environment, "environment", managersNames);
            environment = vars.json();
            ignoredVars(template, vars, notices);
        }
        String paramsText = TaskParams.forNewTask(template, raw, notices).toString();
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
        if (inventoryId != null && !inventoryId.equals(template.inventoryId())
                && !Json.tree(template.taskParams()).path("allow_override_inventory").asBoolean(false)
                && !attached.test(inventoryId)) {
            notices.add("Ignored the task's inventory " + inventoryId + ": template " + template.name()
                    + " does not allow overriding the inventory.");
            inventoryId = null;
        }
        if (inventoryId != null && !inventoryId.equals(template.inventoryId())) {
            if (!inventoryExists.test(inventoryId)) {
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
            TaskOverrides.Vars vars = TaskOverrides.vars(template, secret, "secret", java.util.Set.of());
            secret = vars.json();
            ignoredVars(template, vars, notices);
        }
        return new TaskRequest(message, environment, arguments, branch, paramsText, playbook, inventoryId, secret,
                commit, notices);
    }

    private static void ignoredVars(Template template, TaskOverrides.Vars vars, List<String> notices) {
        if (!vars.ignored().isEmpty()) {
            notices.add("Ignored the task's variables " + String.join(", ", vars.ignored()) + ": template "
                    + template.name() + " takes only its survey variables (task_params.allow_override_vars is off).");
        }
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
}
