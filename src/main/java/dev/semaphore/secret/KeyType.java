package dev.semaphore.secret;

import java.util.Arrays;
import java.util.Optional;

/** Upstream's access key types. */
public enum KeyType {
    NONE("none"), SSH("ssh"), LOGIN_PASSWORD("login_password"), STRING("string");

    private final String wire;

    KeyType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<KeyType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst();
    }
}
