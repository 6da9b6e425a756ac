package dev.semaphore.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The loaded configuration: every key of {@link ConfigKeys} with its parsed, validated value. */
public final class Config {
    private final Map<ConfigKey, Object> values;
    private final Optional<Path> file;

    Config(Map<ConfigKey, Object> values, Optional<Path> file) {
        Map<ConfigKey, Object> set = new java.util.HashMap<>(values);
        set.values().removeIf(java.util.Objects::isNull); // a key without default the configuration leaves out
        this.values = Map.copyOf(set);
        this.file = file;
    }

    /** The config.json the values came from, if any. */
    public Optional<Path> file() {
        return file;
    }

    public String string(ConfigKey key) {
        return (String) values.get(key);
    }

    public int integer(ConfigKey key) {
        return (Integer) values.get(key);
    }

    public boolean bool(ConfigKey key) {
        return (Boolean) values.get(key);
    }

    /** A boolean without a default: null when the configuration does not say. */
    public Boolean boolOrNull(ConfigKey key) {
        return (Boolean) values.get(key);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(ConfigKey key) {
        return (Map<String, String>) values.get(key);
    }

    @SuppressWarnings("unchecked")
    public java.util.List<String> list(ConfigKey key) {
        return (java.util.List<String>) values.get(key);
    }

    public String dialect() {
        return string(ConfigKeys.DIALECT);
    }

    public int port() {
        return ConfigKeys.parsePort(string(ConfigKeys.PORT));
    }

    /** The path part of web_host ("" or "/semaphore"), under which every route is served. */
    public String contextPath() {
        String webHost = string(ConfigKeys.WEB_HOST);
        if (webHost.isEmpty()) {
            return "";
        }
        String path = java.net.URI.create(webHost).getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "";
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
