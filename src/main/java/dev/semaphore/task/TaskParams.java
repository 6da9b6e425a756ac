package dev.semaphore.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Json;
import dev.semaphore.template.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task's {@code params} (upstream's AnsibleTaskParams and TerraformTaskParams in one object) and
 * the template's {@code task_params} that say which of them a task may set.
 */
public record TaskParams(boolean debug, int debugLevel, boolean dryRun, boolean diff, List<String> limit, List<String> tags,
                  List<String> skipTags, boolean plan, boolean destroy, boolean autoApprove, boolean upgrade,
                  boolean reconfigure, boolean skipGalaxyInstall) {
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("debug", "bool"), Map.entry("dry_run", "bool"), Map.entry("diff", "bool"),
            Map.entry("plan", "bool"), Map.entry("destroy", "bool"), Map.entry("auto_approve", "bool"),
            Map.entry("upgrade", "bool"), Map.entry("reconfigure", "bool"), Map.entry("debug_level", "int"),
            Map.entry("limit", "strings"), Map.entry("tags", "strings"), Map.entry("skip_tags", "strings"),
            Map.entry("skip_galaxy_install", "bool"));

    /** What a run of the template does: the template's settings, with the task's where the template allows them. */
    public static TaskParams effective(Template template, String taskParamsJson) {
        JsonNode t = Json.tree(template.taskParams());
        JsonNode p = Json.tree(taskParamsJson);
        boolean allowDebug = t.path("allow_debug").asBoolean(false);
        List<String> limit = p.has("limit") && t.path("allow_override_limit").asBoolean(false)
                ? strings(p.get("limit")) : strings(t.get("limit"));
        List<String> tags = p.has("tags") && t.path("allow_override_tags").asBoolean(false)
                ? strings(p.get("tags")) : strings(t.get("tags"));
        List<String> skipTags = p.has("skip_tags") && t.path("allow_override_skip_tags").asBoolean(false)
                ? strings(p.get("skip_tags")) : strings(t.get("skip_tags"));
        boolean autoApprove = t.path("auto_approve").asBoolean(false)
                || (t.path("allow_auto_approve").asBoolean(false) && p.path("auto_approve").asBoolean(false));
        return new TaskParams(allowDebug && p.path("debug").asBoolean(false),
                Math.max(1, Math.min(6, p.path("debug_level").asInt(4))),
                p.path("dry_run").asBoolean(false), p.path("diff").asBoolean(false), limit, tags, skipTags,
                p.path("plan").asBoolean(false),
                t.path("allow_destroy").asBoolean(false) && p.path("destroy").asBoolean(false),
                autoApprove, p.path("upgrade").asBoolean(false), p.path("reconfigure").asBoolean(false),
                p.has("skip_galaxy_install") && t.path("allow_override_skip_galaxy_install").asBoolean(false)
                        ? p.path("skip_galaxy_install").asBoolean(false) : t.path("skip_galaxy_install").asBoolean(false));
    }

    /**
     * Checks a new task's params against the template and returns them as stored. Upstream's
     * top-level {@code debug}, {@code dry_run}, {@code diff} and comma-separated {@code limit} are
     * folded in. Asking for what the template does not allow is refused rather than ignored.
     */
    /**
     * The params a new task stores: upstream's top-level fields folded in, each checked for its type;
     * a param the template does not allow is left out and said in {@code notices}, as upstream ignores it.
     */
    static ObjectNode forNewTask(Template template, JsonNode body, List<String> notices) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        JsonNode given = body.get("params");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw ApiException.badRequest("field 'params' must be an object");
            }
            params.setAll((ObjectNode) given);
        }
        // A list given as one comma-separated text (upstream's clients send limit so) is that list.
        KINDS.forEach((field, kind) -> {
            if (kind.equals("strings") && params.path(field).isTextual()) {
                params.set(field, commaList(params.get(field).asText()));
            }
        });
        for (String field : List.of("debug", "dry_run", "diff", "debug_level")) {
            if (body.hasNonNull(field)) {
                params.set(field, body.get(field));
            }
        }
        if (body.hasNonNull("limit") && body.get("limit").isTextual() && !body.get("limit").asText().isBlank()) {
            params.set("limit", commaList(body.get("limit").asText()));
        }
        params.properties().forEach(e -> check("params." + e.getKey(), KINDS.get(e.getKey()), e.getValue()));
        JsonNode t = Json.tree(template.taskParams());
        dropUnless(params, "limit", t, "allow_override_limit", template, notices);
        dropUnless(params, "tags", t, "allow_override_tags", template, notices);
        dropUnless(params, "skip_tags", t, "allow_override_skip_tags", template, notices);
        dropUnless(params, "debug", t, "allow_debug", template, notices);
        dropUnless(params, "destroy", t, "allow_destroy", template, notices);
        dropUnless(params, "auto_approve", t, "allow_auto_approve", template, notices);
        if (params.has("skip_galaxy_install") && !t.path("allow_override_skip_galaxy_install").asBoolean(false)) {
            notices.add("Ignored the task's skip_galaxy_install: template " + template.name()
                    + " does not allow it (allow_override_skip_galaxy_install is off).");
            params.remove("skip_galaxy_install");
        }
        return params;
    }

    private static void dropUnless(ObjectNode params, String field, JsonNode templateParams, String flag,
                                   Template template, List<String> notices) {
        JsonNode value = params.get(field);
        boolean set = value != null && (value.isBoolean() ? value.asBoolean() : !value.isEmpty());
        if (set && !templateParams.path(flag).asBoolean(false)) {
            params.remove(field);
            notices.add("Ignored the task's " + field + " " + value + ": template " + template.name()
                    + " does not allow it (" + flag + " is off).");
        }
    }

    private static void check(String at, String kind, JsonNode value) {
        if (kind == null) {
            return;
        }
        boolean ok = switch (kind) {
            case "bool" -> value.isBoolean();
            case "int" -> value.isInt() && value.asInt() >= 1 && value.asInt() <= 6;
            default -> value.isArray() && allText(value);
        };
        if (!ok) {
            throw ApiException.badRequest("field '" + at + "' must be " + switch (kind) {
                case "bool" -> "a boolean";
                case "int" -> "a number from 1 to 6";
                default -> "an array of strings";
            });
        }
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode commaList(String text) {
        var array = JsonNodeFactory.instance.arrayNode();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                array.add(item.trim());
            }
        }
        return array;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isTextual()) {
            return strings(commaList(array.asText()));
        }
        if (array != null && array.isArray()) {
            array.forEach(item -> {
                if (!item.asText().isBlank()) {
                    out.add(item.asText());
                }
            });
        }
        return out;
    }
}
