package dev.semaphore.security;

import java.util.Arrays;
import java.util.Optional;

/** The four project roles and the permission mask each carries, as upstream defines them. */
public enum ProjectRole {
    OWNER("owner", Permission.ALL),
    MANAGER("manager", Permission.RUN_TASKS.bit() | Permission.MANAGE_RESOURCES.bit()),
    TASK_RUNNER("task_runner", Permission.RUN_TASKS.bit()),
    GUEST("guest", 0);

    private final String wire;
    private final int permissions;

    ProjectRole(String wire, int permissions) {
        this.wire = wire;
        this.permissions = permissions;
    }

    public String wire() {
        return wire;
    }

    public int permissions() {
        return permissions;
    }

    public static Optional<ProjectRole> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(value)).findFirst();
    }
}
