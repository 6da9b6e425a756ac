package dev.semaphore.event;

/** Upstream's event object types. */
public enum ObjectType {
    TASK("task"), ENVIRONMENT("environment"), INVENTORY("inventory"), KEY("key"), PROJECT("project"),
    REPOSITORY("repository"), SCHEDULE("schedule"), TEMPLATE("template"), USER("user"), VIEW("view"),
    INTEGRATION("integration"), RUNNER("runner");

    private final String wire;

    ObjectType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
