package dev.semaphore.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * A request body read as a JSON object, with typed accessors whose failures name the field.
 * Parsing everything before touching storage is what keeps bad input from changing anything.
 */
public final class JsonBody {
    /**
     * The longest text the column behind each of these fields keeps (the schema's VARCHAR sizes), checked
     * here so that every database answers the same 400: SQLite would keep a longer one, PostgreSQL and
     * MySQL refuse it.
     */
    private static final Map<String, Integer> MAX_LENGTH = Map.ofEntries(Map.entry("name", 255),
            Map.entry("title", 255), Map.entry("email", 255), Map.entry("username", 255), Map.entry("login", 255),
            Map.entry("git_branch", 255), Map.entry("git_url", 2048), Map.entry("playbook", 1024),
            Map.entry("webhook", 1024), Map.entry("tag", 255), Map.entry("runner_tag", 255),
            Map.entry("start_version", 255), Map.entry("cron_format", 255), Map.entry("timezone", 64),
            Map.entry("sort_column", 32), Map.entry("message", 1024), Map.entry("alert_chat", 255),
            Map.entry("auth_header", 255), Map.entry("variable", 255), Map.entry("app", 64),
            Map.entry("external_uid", 500), Map.entry("provider", 100));

    private final ObjectNode node;
    /** Where this object sits in the request, for messages: "" at the top, "ssh." inside "ssh". */
    private final String path;

    private JsonBody(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** A body already parsed (a stored request, such as a schedule's task params). */
    public static JsonBody of(ObjectNode object) {
        return new JsonBody(object, "");
    }

    public static JsonBody parse(String text) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.badRequest("request body must be a JSON object");
        }
        return new JsonBody(object, "");
    }

    /** The whole body, for a reader that takes the JSON as it came. */
    public ObjectNode object() {
        return node;
    }

    /** A nested object, whose fields are named "outer.inner" in errors. */
    public Optional<JsonBody> optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(field, "an object");
        }
        return Optional.of(new JsonBody(object, path + field + "."));
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public String requiredString(String field) {
        String value = optionalString(field).orElseThrow(() -> missing(field));
        if (value.isBlank()) {
            throw ApiException.badRequest("field '" + path + field + "' must not be empty");
        }
        return value;
    }

    public Optional<String> optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        String text = value.textValue();
        Integer max = MAX_LENGTH.get(field);
        if (max != null && text.length() > max && text.codePointCount(0, text.length()) > max) {
            throw ApiException.badRequest("field '" + path + field + "' must be at most " + max + " characters");
        }
        return Optional.of(text);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "a boolean");
        }
        return Optional.of(value.booleanValue());
    }

    public boolean bool(String field, boolean fallback) {
        return optionalBoolean(field).orElse(fallback);
    }

    public Optional<Long> optionalLong(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer");
        }
        return Optional.of(value.longValue());
    }

    public long requiredLong(String field) {
        return optionalLong(field).orElseThrow(() -> missing(field));
    }

    public Optional<Integer> optionalInt(String field, int min) {
        return optionalLong(field).map(v -> {
            if (v < min || v > Integer.MAX_VALUE) {
                throw ApiException.badRequest("field '" + path + field + "' must be an integer of at least " + min);
            }
            return v.intValue();
        });
    }

    private ApiException missing(String field) {
        return ApiException.badRequest("field '" + path + field + "' is required");
    }

    private ApiException wrongType(String field, String type) {
        return ApiException.badRequest("field '" + path + field + "' must be " + type);
    }
}
