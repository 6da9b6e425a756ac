package dev.semaphore.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt, compatible with the $2a$/$2y$ hashes upstream stores; Argon2id hashes in the PHC form
 * ({@code $argon2id$v=19$m=…,t=…,p=…$salt$hash}, upstream's newer ones, brought over by an import) are checked
 * too, so people sign in with the passwords they had. New hashes are bcrypt.
 */
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

    /** Argon2id's costs a stored hash may ask for: beyond them it is refused rather than spent on. */
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_PASSES = 10;
    private static final int MAX_LANES = 16;
    private static final java.util.regex.Pattern ARGON2ID = java.util.regex.Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    /** False for a password over bcrypt's 72 bytes, after the same work as any other check. */
    public boolean matches(String password, String hash) {
        if (hash.startsWith("$argon2")) {
            return argon2idMatches(password, hash);
        }
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        boolean tooLong = bytes.length > 72;
        boolean verified = BCrypt.verifyer().verify(tooLong ? java.util.Arrays.copyOf(bytes, 72) : bytes,
                hash.getBytes(StandardCharsets.UTF_8)).verified;
        return verified && !tooLong;
    }

    private static boolean argon2idMatches(String password, String hash) {
        java.util.regex.Matcher phc = ARGON2ID.matcher(hash);
        if (!phc.matches()) {
            return false;
        }
        int memory = Integer.parseInt(phc.group(1));
        int passes = Integer.parseInt(phc.group(2));
        int lanes = Integer.parseInt(phc.group(3));
        if (memory > MAX_MEMORY_KIB || passes < 1 || passes > MAX_PASSES || lanes < 1 || lanes > MAX_LANES) {
            return false;
        }
        byte[] salt = java.util.Base64.getDecoder().decode(padded(phc.group(4)));
        byte[] expected = java.util.Base64.getDecoder().decode(padded(phc.group(5)));
        org.bouncycastle.crypto.generators.Argon2BytesGenerator generator =
                new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        generator.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory).withIterations(passes).withParallelism(lanes).withSalt(salt).build());
        byte[] actual = new byte[expected.length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), actual);
        return java.security.MessageDigest.isEqual(actual, expected);
    }

    private static String padded(String base64) {
        return base64 + "===".substring(0, (4 - base64.length() % 4) % 4);
    }

    /** Spends the time of one check, so an unknown login is not told apart from a wrong password. */
    public void burnOneCheck(String password) {
        matches(password, dummyHash);
    }
}
