package dev.semaphore.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt, compatible with the $2a$/$2y$ hashes upstream stores. */
public final class PasswordHasher {
    /** Upstream's cost (Go's bcrypt.DefaultCost). */
    public static final int DEFAULT_COST = 10;

    private final int cost;
    private final String dummyHash;

    public PasswordHasher() {
        this(DEFAULT_COST);
    }

    /** A lower cost is for tests that create thousands of users; a server always uses the default. */
    public PasswordHasher(int cost) {
        this.cost = cost;
        this.dummyHash = hash("timing-equaliser");
    }

    public String hash(String password) {
        return new String(BCrypt.withDefaults().hash(cost, password.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    /** False for a password over bcrypt's 72 bytes, after the same work as any other check. */
    public boolean matches(String password, String hash) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        boolean tooLong = bytes.length > 72;
        boolean verified = BCrypt.verifyer().verify(tooLong ? java.util.Arrays.copyOf(bytes, 72) : bytes,
                hash.getBytes(StandardCharsets.UTF_8)).verified;
        return verified && !tooLong;
    }

    /** Spends the time of one check, so an unknown login is not told apart from a wrong password. */
    public void burnOneCheck(String password) {
        matches(password, dummyHash);
    }
}
