package dev.semaphore.environment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.common.JsonBody;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A variable group as a request describes it: variables checked as JSON objects, secret operations checked. */
record EnvironmentInput(String name, String json, String env, List<SecretChange> secrets) {
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    enum Operation { CREATE, UPDATE, DELETE }

    record SecretChange(Operation operation, Long id, String name, String type, String secret) {
    }

    static EnvironmentInput parse(JsonBody body, String rawBody) {
        String name = body.requiredString("name").trim();
        if (name.length() > 255) {
            throw ApiException.badRequest("field 'name' must be at most 255 characters");
        }
        String json = objectText(body.optionalString("json").orElse(""), "json");
        String env = objectText(body.optionalString("env").orElse(""), "env");
        JsonNode envNode = read(env, "env");
        envNode.properties().forEach(e -> {
            if (e.getKey().isBlank()) {
                // upstream's words: its clients match on them
                throw ApiException.badRequest("field 'env': Environment variables key can not be empty");
            }
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw ApiException.badRequest("field 'env': '" + e.getKey() + "' is not a valid environment variable name");
            }
            if (e.getValue().isContainerNode()) {
                throw ApiException.badRequest("field 'env': the value of " + e.getKey() + " must be a string");
            }
        });
        return new EnvironmentInput(name, json, env, secrets(rawBody));
    }

    private static List<SecretChange> secrets(String rawBody) {
        JsonNode node = read(rawBody, "body").get("secrets");
        List<SecretChange> changes = new ArrayList<>();
        if (node == null || node.isNull()) {
            return changes;
        }
        if (!(node instanceof ArrayNode array)) {
            throw ApiException.badRequest("field 'secrets' must be an array");
        }
        for (int i = 0; i < array.size(); i++) {
            String at = "secrets[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode item)) {
                throw ApiException.badRequest("field '" + at + "' must be an object");
            }
            String op = text(item, "operation", at);
            Operation operation = switch (op == null ? "create" : op) {
                case "create" -> Operation.CREATE;
                case "update" -> Operation.UPDATE;
                case "delete" -> Operation.DELETE;
                default -> throw ApiException.badRequest("field '" + at + ".operation' must be create, update or delete");
            };
            Long id = item.hasNonNull("id") && item.get("id").canConvertToLong() ? item.get("id").asLong() : null;
            if (operation != Operation.CREATE && id == null) {
                throw ApiException.badRequest("field '" + at + ".id' is required to " + op + " a secret");
            }
            String type = text(item, "type", at);
            String name = text(item, "name", at);
            String secret = text(item, "secret", at);
            if (operation != Operation.DELETE) {
                if (type == null || (!type.equals("var") && !type.equals("env"))) {
                    throw ApiException.badRequest("field '" + at + ".type' must be var or env");
                }
                if (name == null || name.isBlank()) {
                    throw ApiException.badRequest("field '" + at + ".name' is required");
                }
                if (type.equals("env") && !ENV_NAME.matcher(name).matches()) {
                    throw ApiException.badRequest("field '" + at + ".name': '" + name
                            + "' is not a valid environment variable name");
                }
                if (operation == Operation.CREATE && secret == null) {
                    throw ApiException.badRequest("field '" + at + ".secret' is required");
                }
            }
            changes.add(new SecretChange(operation, id, name, type, secret));
        }
        return changes;
    }

    private static String text(ObjectNode item, String field, String at) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("field '" + at + "." + field + "' must be a string");
        }
        return value.textValue();
    }

    private static String objectText(String text, String field) {
        if (text.isBlank()) {
            return "{}";
        }
        read(text, field);
        return text;
    }

    private static JsonNode read(String text, String field) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("field '" + field + "' must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("field '" + field + "' is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
