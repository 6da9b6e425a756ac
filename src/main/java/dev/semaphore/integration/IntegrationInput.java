package dev.semaphore.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Create and update requests of integrations, matchers and extracted values, checked field by field. */
final class IntegrationInput {
    /** "" and upstream's documented "none" both mean that callers prove nothing. */
    static final List<String> AUTH_METHODS = List.of("", "none", "token", "hmac", "github", "bitbucket", "basic");
    private static final List<String> SOURCES = List.of("body", "header");
    private static final List<String> DATA_TYPES = List.of("json", "string");
    private static final List<String> METHODS = List.of("equals", "unequals", "contains");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Task parameters an extracted value may set (upstream's ansible and terraform params). */
    private static final Set<String> TASK_PARAMS = Set.of("debug", "debug_level", "dry_run", "diff", "limit", "tags",
            "skip_tags", "plan", "destroy", "auto_approve", "upgrade", "reconfigure");
    /** Environment names a delivery may never set: they decide what a task's programs load and run. */
    private IntegrationInput() {
    }

    record Fields(String name, long templateId, String authMethod, Long authSecretId, String authHeader,
                  boolean searchable, String taskParams) {
    }

    record MatcherFields(String name, String matchType, String method, String bodyDataType, String key, String value) {
    }

    record ValueFields(String name, String valueSource, String bodyDataType, String key, String variable,
                       String variableType) {
    }

    static Fields integration(JsonBody body, JsonNode raw) {
        String name = body.requiredString("name").strip();
        if (name.isEmpty() || name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be 1 to 255 characters");
        }
        long templateId = body.requiredLong("template_id");
        String method = body.optionalString("auth_method").orElse("");
        if (!AUTH_METHODS.contains(method)) {
            throw ApiException.badRequest("field 'auth_method' must be one of \"\", none, token, hmac, github, bitbucket,"
                    + " basic");
        }
        Long secret = body.optionalLong("auth_secret_id").filter(id -> id > 0).orElse(null);
        if (!Integration.unauthenticated(method) && secret == null) {
            throw ApiException.badRequest("field 'auth_secret_id' is required for auth_method " + method);
        }
        String header = body.optionalString("auth_header").orElse("").strip();
        if ((method.equals("token") || method.equals("hmac")) && header.isEmpty()) {
            throw ApiException.badRequest("field 'auth_header' names the header carrying the " + method
                    + "; it is required for auth_method " + method);
        }
        if (!header.isEmpty() && !header.matches("[A-Za-z0-9-]{1,255}")) {
            throw ApiException.badRequest("field 'auth_header' must be a header name (letters, digits, '-')");
        }
        // Upstream's request calls them params, its responses task_params: either is taken.
        JsonNode params = raw.has("task_params") ? raw.get("task_params") : raw.get("params");
        if (params != null && !params.isNull() && !(params instanceof ObjectNode)) {
            throw ApiException.badRequest("field 'task_params' must be an object");
        }
        return new Fields(name, templateId, method, secret, header, body.bool("searchable", false),
                params instanceof ObjectNode object ? object.toString() : "{}");
    }

    static MatcherFields matcher(JsonBody body) {
        String name = body.optionalString("name").orElse("").strip();
        String type = oneOf(body, "match_type", SOURCES);
        String method = oneOf(body, "method", METHODS);
        String dataType = type.equals("body") ? oneOf(body, "body_data_type", DATA_TYPES) : "";
        String key = body.optionalString("key").orElse("").strip();
        if (type.equals("header") && key.isEmpty()) {
            throw ApiException.badRequest("field 'key' names the header to match; it is required");
        }
        if (dataType.equals("json")) {
            path(key);
        }
        String value = body.optionalString("value").orElse("");
        return new MatcherFields(name, type, method, dataType, key, value);
    }

    static ValueFields value(JsonBody body) {
        String name = body.optionalString("name").orElse("").strip();
        String source = oneOf(body, "value_source", SOURCES);
        String dataType = source.equals("body") ? oneOf(body, "body_data_type", DATA_TYPES) : "";
        String key = body.optionalString("key").orElse("").strip();
        if (source.equals("header") && key.isEmpty()) {
            throw ApiException.badRequest("field 'key' names the header to read; it is required");
        }
        if (dataType.equals("json")) {
            path(key);
        }
        String variable = body.requiredString("variable").strip();
        // Upstream stores "" for environment; its API documents environment.
        String type = body.optionalString("variable_type").filter(t -> !t.isEmpty()).orElse("environment");
        if (!List.of("environment", "task").contains(type)) {
            throw ApiException.badRequest("field 'variable_type' must be environment or task");
        }
        if (!VARIABLE.matcher(variable).matches()) {
            throw ApiException.badRequest("field 'variable' must be a name of letters, digits and '_'");
        }
        if (type.equals("task") && !TASK_PARAMS.contains(variable)) {
            throw ApiException.badRequest("field 'variable': a task value sets one of the task params "
                    + new java.util.TreeSet<>(TASK_PARAMS));
        }
        if (!type.equals("task") && reserved(variable)) {
            throw ApiException.badRequest("field 'variable': " + variable + " is reserved: it decides what a task runs"
                    + " or how it connects, and a delivery may not set it");
        }
        return new ValueFields(name, source, dataType, key, variable, type);
    }

    /** Names a delivery may never set: the server's own, program loaders, and Ansible's connection variables. */
    static boolean reserved(String variable) {
        return dev.semaphore.template.ProcessEnvironment.reserved(variable);
    }

    private static void path(String key) {
        try {
            BodyPath.parse(key);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("field 'key': the JSON path does not parse: " + e.getMessage());
        }
    }

    private static String oneOf(JsonBody body, String field, List<String> allowed) {
        String value = body.optionalString(field).orElse("");
        if (!allowed.contains(value)) {
            throw ApiException.badRequest("field '" + field + "' must be one of " + String.join(", ", allowed));
        }
        return value;
    }
}
