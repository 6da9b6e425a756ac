package dev.semaphore.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.semaphore.common.Json;
import dev.semaphore.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The apps templates can use: upstream's built-in ones, each active when its program is on the
 * PATH, and the custom ones of the {@code apps} setting (which may also change a built-in one's
 * program, arguments or looks).
 */
public final class Apps {
    /** One app as {@code /api/apps} lists it. */
    public record App(String id, boolean active, int priority, String title, String icon, String color,
                      String darkColor, String path, List<String> args) {
    }

    /** @param icon a Material Design icon's name without its "mdi-" (upstream's UI puts it in front) */
    private record Builtin(String id, String title, String program, int priority, String icon) {
    }

    private static final List<Builtin> BUILTINS = List.of(
            new Builtin("ansible", "Ansible", "ansible-playbook", 1000, "ansible"),
            new Builtin("terraform", "Terraform", "terraform", 900, "terraform"),
            new Builtin("terragrunt", "Terragrunt", "terragrunt", 850, "layers"),
            new Builtin("tofu", "OpenTofu", "tofu", 800, "tofu"),
            new Builtin("bash", "Bash", "bash", 700, "bash"),
            new Builtin("powershell", "PowerShell", "pwsh", 600, "powershell"),
            new Builtin("python", "Python", "python3", 500, "language-python"),
            new Builtin("pulumi", "Pulumi", "pulumi", 400, "pulumi"));

    /** How long what was read of the run-time changes is used (other server processes change them too). */
    private static final long FRESH_NANOS = java.time.Duration.ofSeconds(2).toNanos();

    private final Map<String, App> configuredApps;
    private final java.util.function.Supplier<Map<String, String>> runtime;
    private volatile Map<String, App> apps;
    private volatile long readAt;

    /** @param configured the {@code apps} setting: id to the JSON text of its settings */
    public Apps(Map<String, String> configured) {
        this(configured, Map::of);
    }

    /**
     * @param runtime the changes admins made at run time (id to the JSON text of its settings, over the
     *        configured ones), read again every few seconds and after {@link #changed}
     */
    public Apps(Map<String, String> configured, java.util.function.Supplier<Map<String, String>> runtime) {
        Map<String, App> all = new LinkedHashMap<>();
        for (Builtin b : BUILTINS) {
            all.put(b.id(), new App(b.id(), onPath(b.program()), b.priority(), b.title(), b.icon(), "", "", "",
                    List.of()));
        }
        configured.forEach((id, json) -> all.put(id, merge(all.get(id), id, json)));
        this.configuredApps = Map.copyOf(all);
        this.runtime = runtime;
        this.apps = configuredApps;
        this.readAt = System.nanoTime() - FRESH_NANOS;
    }

    /** The run-time changes were written here: read them now. */
    public void changed() {
        readAt = System.nanoTime() - FRESH_NANOS;
    }

    /** Checks one app's settings as the {@code apps} setting would take them (400-style message). */
    public static void check(String id, String json) {
        merge(null, id, json);
    }

    private Map<String, App> current() {
        long now = System.nanoTime();
        if (now - readAt >= FRESH_NANOS) {
            Map<String, App> all = new LinkedHashMap<>(configuredApps);
            try {
                runtime.get().forEach((id, json) -> all.put(id, merge(all.get(id), id, json)));
                apps = Map.copyOf(all);
            } catch (RuntimeException unreadable) {
                // Keep the last good list: an app table that cannot be read must not stop tasks.
            }
            readAt = now;
        }
        return apps;
    }

    private static App merge(App base, String id, String json) {
        if (!id.matches("[a-z0-9][a-z0-9_-]{0,49}")) {
            throw new ConfigException("invalid value for apps (SEMAPHORE_APPS): app id \"" + id
                    + "\" must be lower-case letters, digits, - or _");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new ConfigException("invalid value for apps (SEMAPHORE_APPS): app \"" + id + "\" must be an object");
        }
        JsonNode argsNode = node.path("args");
        List<String> args = new ArrayList<>();
        if (argsNode.isArray()) {
            argsNode.forEach(a -> args.add(a.asText()));
        } else if (!argsNode.isMissingNode() && !argsNode.isNull()) {
            throw new ConfigException("invalid value for apps (SEMAPHORE_APPS): apps." + id
                    + ".args must be an array of strings");
        }
        App b = base != null ? base : new App(id, true, 0, id, "", "", "", "", List.of());
        return new App(id, node.path("active").asBoolean(b.active() || base == null), node.path("priority")
                .asInt(b.priority()), text(node, "title", b.title()), text(node, "icon", b.icon()),
                text(node, "color", b.color()), text(node, "dark_color", b.darkColor()),
                text(node, "path", b.path()), argsNode.isArray() ? List.copyOf(args) : b.args());
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public boolean known(String id) {
        return current().containsKey(id);
    }

    public Optional<App> get(String id) {
        return Optional.ofNullable(current().get(id));
    }

    /** Every app, the highest priority first. */
    public List<App> list() {
        return current().values().stream().sorted(Comparator.comparingInt(App::priority).reversed()
                .thenComparing(App::id)).toList();
    }

    /** Whether an id is one of upstream's built-in apps (run by their own code, not as a script). */
    public static boolean builtin(String id) {
        return BUILTINS.stream().anyMatch(b -> b.id().equals(id));
    }
}
