package dev.semaphore.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt, compatible with the $2a$/$2y$ hashes upstream stores. */
public final class PasswordHasher {
    private static final int COST = 10;
    private static final String DUMMY_HASH = new String(
            BCrypt.withDefaults().hash(COST, "timing-equaliser".getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);

    public String hash(String password) {
        return new String(BCrypt.withDefaults().hash(COST, password.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of one check, so an unknown login is not told apart from a wrong password. */
    public void burnOneCheck(String password) {
        matches(password, DUMMY_HASH);
    }
}
