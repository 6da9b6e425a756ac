package dev.semaphore.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.semaphore.security.ProjectRole;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Directory or IdP groups → roles, as configured: each group maps to
 * {@code {"admin": true, "projects": {"<project id or name>": "<role>"}}}. A person in several groups
 * gets the union, and in a project the strongest role any of them gives.
 */
public final class GroupRoles {
    /** One group's grant. */
    record Grant(boolean admin, Map<String, ProjectRole> projects) {
    }

    /** What a person's groups add up to. */
    record Wanted(boolean admin, Map<String, ProjectRole> projects) {
    }

    public static final GroupRoles NONE = new GroupRoles(Map.of());

    private final Map<String, Grant> byGroup;

    private GroupRoles(Map<String, Grant> byGroup) {
        this.byGroup = byGroup;
    }

    /**
     * Reads a mapping from configuration (group → JSON text or object).
     *
     * @throws IllegalArgumentException naming the group and what is wrong with its entry
     */
    public static GroupRoles parse(Map<String, ?> config, String keyName) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Grant> byGroup = new LinkedHashMap<>();
        config.forEach((group, raw) -> {
            String where = keyName + "." + group;
            JsonNode node;
            try {
                node = raw instanceof JsonNode n ? n : json.readTree(String.valueOf(raw));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(where + " must be a JSON object");
            }
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + " must be an object such as {\"admin\": false, "
                        + "\"projects\": {\"1\": \"task_runner\"}}");
            }
            Map<String, ProjectRole> projects = new LinkedHashMap<>();
            node.path("projects").properties().forEach(e -> projects.put(e.getKey(),
                    ProjectRole.fromWire(e.getValue().asText()).orElseThrow(() -> new IllegalArgumentException(
                            where + ".projects." + e.getKey() + " must be owner, manager, task_runner or guest"))));
            byGroup.put(group.toLowerCase(Locale.ROOT), new Grant(node.path("admin").asBoolean(false), projects));
        });
        return new GroupRoles(Map.copyOf(byGroup));
    }

    public boolean isEmpty() {
        return byGroup.isEmpty();
    }

    /** The union of what the groups grant; groups are matched without regard to case. */
    Wanted wanted(Collection<String> groups) {
        boolean admin = false;
        Map<String, ProjectRole> projects = new LinkedHashMap<>();
        for (String group : groups) {
            Grant grant = byGroup.get(group.toLowerCase(Locale.ROOT));
            if (grant == null) {
                continue;
            }
            admin |= grant.admin();
            // ProjectRole lists the strongest first.
            grant.projects().forEach((project, role) -> projects.merge(project, role,
                    (a, b) -> a.ordinal() <= b.ordinal() ? a : b));
        }
        return new Wanted(admin, projects);
    }
}
