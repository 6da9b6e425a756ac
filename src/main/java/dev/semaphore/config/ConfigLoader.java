package dev.semaphore.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads configuration the upstream way: config.json (from --config, SEMAPHORE_CONFIG_PATH or the
 * usual places), then SEMAPHORE_* variables on top (environment beats file), then defaults.
 */
public final class ConfigLoader {
    private static final List<Path> DEFAULT_LOCATIONS = List.of(
            Path.of("config.json"),
            Path.of("/usr/local/etc/semaphore/config.json"),
            Path.of("/etc/semaphore/config.json"));

    private final Map<String, String> env;
    private final ObjectMapper json = dev.semaphore.common.Json.mapper();

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /**
     * @param explicitFile the --config value, or null
     * @param noConfig     --no-config: read the environment only
     */
    public Config load(Path explicitFile, boolean noConfig) {
        Optional<Path> file = noConfig ? Optional.empty() : locate(explicitFile);
        JsonNode root = file.map(this::read).orElse(MissingNode.getInstance());
        return fromSources(root, file);
    }

    /** A configuration from a JSON object in memory (the setup wizard checks its answers this way). */
    public Config fromJson(JsonNode root) {
        return fromSources(root, Optional.empty());
    }

    Config fromSources(JsonNode root, Optional<Path> file) {
        Map<ConfigKey, Object> values = new HashMap<>();
        String dialect = (String) resolve(ConfigKeys.DIALECT, root, "sqlite");
        values.put(ConfigKeys.DIALECT, dialect);
        for (ConfigKey key : ConfigKeys.ALL) {
            if (key != ConfigKeys.DIALECT) {
                values.put(key, resolve(key, root, dialect));
            }
        }
        if (values.get(ConfigKeys.DB_HOST) == null) {
            values.put(ConfigKeys.DB_HOST, "sqlite".equals(dialect) ? "data/database.sqlite" : "127.0.0.1");
        }
        return new Config(values, file);
    }

    private Optional<Path> locate(Path explicitFile) {
        if (explicitFile != null) {
            if (!Files.isRegularFile(explicitFile)) {
                throw new ConfigException("config file " + explicitFile + " does not exist");
            }
            return Optional.of(explicitFile);
        }
        String fromEnv = env.get("SEMAPHORE_CONFIG_PATH");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path path = Path.of(fromEnv);
            if (!Files.isRegularFile(path)) {
                throw new ConfigException("config file " + path + " (SEMAPHORE_CONFIG_PATH) does not exist");
            }
            return Optional.of(path);
        }
        return DEFAULT_LOCATIONS.stream().filter(Files::isRegularFile).findFirst();
    }

    private JsonNode read(Path path) {
        try {
            JsonNode node = json.readTree(Files.readString(path));
            if (node == null || !node.isObject()) {
                throw new ConfigException("config file " + path + " must contain a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException("config file " + path + " is not valid JSON: " + e.getMessage());
        }
    }

    private Object resolve(ConfigKey key, JsonNode root, String dialect) {
        String label = key.filePath(dialect);
        Object value = null;
        for (String name : key.env()) {
            String raw = env.get(name);
            if (raw != null && !raw.isEmpty()) {
                value = fromEnv(key, raw, label + " (" + name + ")");
                label = label + " (" + name + ")";
                break;
            }
        }
        if (value == null) {
            JsonNode node = at(root, key.filePath(dialect));
            if (!node.isMissingNode() && !node.isNull()) {
                value = fromJson(key, node, label);
            }
        }
        if (value == null) {
            value = key.defaultValue();
        }
        if (value != null && key.rule() != null) {
            String problem = key.rule().problem(value);
            if (problem != null) {
                throw new ConfigException("invalid value for " + label + ": "
                        + (ConfigKeys.SENSITIVE.contains(key) ? "" : quote(value) + " ") + problem);
            }
        }
        return value;
    }

    private static JsonNode at(JsonNode root, String dottedPath) {
        JsonNode node = root;
        for (String part : dottedPath.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    private Object fromEnv(ConfigKey key, String raw, String label) {
        return switch (key.kind()) {
            case STRING -> raw;
            case INT -> parseInt(raw, label);
            case BOOL -> parseBool(raw, label);
            case MAP -> {
                try {
                    yield fromJson(key, json.readTree(raw), label);
                } catch (IOException e) {
                    throw new ConfigException("invalid value for " + label + ": must be a JSON object");
                }
            }
            // A JSON array, as upstream reads list variables, or plain comma-separated values.
            case LIST -> raw.strip().startsWith("[") ? fromJsonText(key, raw, label) : commaSeparated(raw);
        };
    }

    private Object fromJsonText(ConfigKey key, String raw, String label) {
        try {
            return fromJson(key, json.readTree(raw), label);
        } catch (IOException e) {
            throw new ConfigException("invalid value for " + label + ": must be a JSON array of strings");
        }
    }

    private static List<String> commaSeparated(String raw) {
        return java.util.Arrays.stream(raw.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }

    private Object fromJson(ConfigKey key, JsonNode node, String label) {
        return switch (key.kind()) {
            case STRING -> {
                if (node.isTextual() || node.isNumber()) {
                    yield node.asText();
                }
                throw new ConfigException("invalid value for " + label + ": must be a string");
            }
            case INT -> {
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    yield node.intValue();
                }
                if (node.isTextual()) {
                    yield parseInt(node.textValue(), label);
                }
                throw new ConfigException("invalid value for " + label + ": must be an integer");
            }
            case BOOL -> {
                if (node.isBoolean()) {
                    yield node.booleanValue();
                }
                if (node.isTextual()) {
                    yield parseBool(node.textValue(), label);
                }
                throw new ConfigException("invalid value for " + label + ": must be true or false");
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw new ConfigException("invalid value for " + label + ": must be a JSON object");
                }
                Map<String, String> map = new LinkedHashMap<>();
                // Nested objects (such as each app of "apps") are kept as their JSON text.
                node.properties().forEach(e -> map.put(e.getKey(), e.getValue().isValueNode()
                        ? e.getValue().asText() : e.getValue().toString()));
                yield map;
            }
            case LIST -> {
                if (node.isTextual()) {
                    yield commaSeparated(node.textValue());
                }
                if (!node.isArray()) {
                    throw new ConfigException("invalid value for " + label + ": must be a JSON array of strings");
                }
                List<String> values = new java.util.ArrayList<>();
                node.forEach(v -> values.add(v.asText()));
                yield List.copyOf(values);
            }
        };
    }

    private static int parseInt(String raw, String label) {
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid value for " + label + ": \"" + raw + "\" is not an integer");
        }
    }

    private static boolean parseBool(String raw, String label) {
        return switch (raw.trim().toLowerCase()) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off", "" -> false;
            default -> throw new ConfigException("invalid value for " + label + ": \"" + raw
                    + "\" is not a boolean (use true or false)");
        };
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
