package dev.semaphore.security;

/** Upstream's project permission bits. */
public enum Permission {
    RUN_TASKS(1), UPDATE_PROJECT(2), MANAGE_RESOURCES(4), MANAGE_USERS(8);

    private final int bit;

    Permission(int bit) {
        this.bit = bit;
    }

    public int bit() {
        return bit;
    }

    public static final int ALL = 15;

    public boolean in(int mask) {
        return (mask & bit) != 0;
    }
}
