package dev.semaphore.totp;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.db.Database;
import dev.semaphore.event.EventLog;
import dev.semaphore.event.ObjectType;
import dev.semaphore.secret.Keyring;
import dev.semaphore.secret.SealedColumn;
import dev.semaphore.security.AuthController;
import dev.semaphore.security.SessionService;
import dev.semaphore.user.PasswordHasher;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Users' time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s): made by the user (or an
 * admin), shown once as an otpauth address and a QR code, checked with one step of leeway either way
 * and never accepted twice (the last step used is kept in the database, taken forward-only). The
 * recovery code is base32 of 10 random bytes, kept as a bcrypt hash; used, it removes the TOTP.
 */
public final class TotpService implements AuthController.SecondFactor {
    public static final SealedColumn SEALED = new SealedColumn("user_totp", "id", "secret");
    private static final int PERIOD_SECONDS = 30;

    private final Database db;
    private final EventLog events;
    private final Keyring keyring;
    private final PasswordHasher hasher;
    private final UserService users;
    private final boolean enabled;
    private final boolean allowRecovery;
    private final String issuer;
    private final Requirement required;
    private final Clock clock;
    private final TotpStore store = new TotpStore();

    public TotpService(Database db, EventLog events, Keyring keyring, PasswordHasher hasher, UserService users,
                       boolean enabled, boolean allowRecovery, String issuer, Requirement required, Clock clock) {
        if (required != Requirement.NONE && !enabled) {
            throw new IllegalArgumentException("auth.totp.required needs auth.totp.enabled");
        }
        this.required = required;
        this.db = db;
        this.events = events;
        this.keyring = keyring;
        this.hasher = hasher;
        this.users = users;
        this.enabled = enabled;
        this.allowRecovery = allowRecovery;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** {@code auth.totp.required}: who must have a TOTP to sign in. */
    public enum Requirement {
        NONE, ADMINS, ALL;

        public static Requirement of(String value) {
            return value == null || value.isBlank() ? NONE : valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * TOTP when the user has one; TOTP_ENROLMENT when the policy says they must and they have none (the
     * sign-in then leads through adding one); NONE otherwise.
     */
    @Override
    public SessionService.Verification owedBy(long userId) {
        if (!enabled) {
            return SessionService.Verification.NONE;
        }
        if (db.read(h -> store.ofUser(h, userId)).isPresent()) {
            return SessionService.Verification.TOTP;
        }
        return users.find(userId).filter(this::mustHave).isPresent()
                ? SessionService.Verification.TOTP_ENROLMENT : SessionService.Verification.NONE;
    }

    /** Whether the policy requires this user to have a TOTP. */
    public boolean mustHave(User user) {
        return required == Requirement.ALL || (required == Requirement.ADMINS && user.admin());
    }

    /** The users who have a TOTP, for the admin's view of who has which factor. */
    public java.util.Set<Long> usersWithTotp() {
        return db.read(store::userIds);
    }

    @Override
    public Map<String, Object> methods() {
        return enabled ? Map.of("totp", Map.of("allow_recovery", allowRecovery,
                "required", required.name().toLowerCase(java.util.Locale.ROOT))) : Map.of();
    }

    boolean recoveryAllowed() {
        return allowRecovery;
    }

    /** Makes a user's TOTP; the answer holds the recovery code (when recovery is allowed), this once. */
    public Totp enable(User actor, long userId) {
        requireEnabled();
        User user = owner(actor, userId);
        String secret = new DefaultSecretGenerator(32).generate();
        String recovery = new org.apache.commons.codec.binary.Base32().encodeToString(Secrets.randomBytes(10))
                .replace("=", "");
        return db.tx(h -> {
            if (store.ofUser(h, userId).isPresent()) {
                throw ApiException.badRequest("user " + user.username() + " has a TOTP already; remove it first");
            }
            long id = store.insert(h, userId, keyring.encrypt(secret), hasher.hash(recovery), Times.now());
            events.record(h, actor.id(), null, ObjectType.USER, userId, user.username(),
                    "TOTP added for user " + user.username());
            return new Totp(id, Times.now(), userId, url(user, secret), allowRecovery ? recovery : null);
        });
    }

    /** The user's TOTP (no recovery code), for the user or an admin; 404 when there is none. */
    public Totp ofOwned(User actor, long userId) {
        owner(actor, userId);
        return of(userId).orElseThrow(() -> ApiException.notFound("user " + userId + " has no TOTP"));
    }

    public Optional<Totp> of(long userId) {
        User user = users.find(userId).orElse(null);
        return user == null ? Optional.empty() : db.read(h -> store.ofUser(h, userId))
                .map(row -> new Totp(row.id(), row.created(), userId, url(user, keyring.decrypt(row.secret())), null));
    }

    /**
     * A TOTP brought over from another database (an upstream import), inside the importer's
     * transaction: its secret sealed here, its recovery hash (bcrypt, as upstream keeps it) as it was.
     * @return its id, or empty when the user has one here already
     */
    public Optional<Long> insertImported(org.jdbi.v3.core.Handle h, long userId, String secret, String recoveryHash,
                                         java.time.Instant created) {
        if (store.ofUser(h, userId).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(store.insert(h, userId, keyring.encrypt(secret), recoveryHash,
                created == null ? Times.now() : created));
    }

    /** The otpauth address as a QR code (PNG, 256 px), for the authenticator app to read. */
    public byte[] qr(User actor, long userId, long totpId) {
        User user = owner(actor, userId);
        TotpStore.Row row = row(userId, totpId);
        try {
            return new ZxingPngQrGenerator().generate(data(user, keyring.decrypt(row.secret())));
        } catch (QrGenerationException e) {
            throw new IllegalStateException("the QR code could not be drawn", e);
        }
    }

    public void disable(User actor, long userId, long totpId) {
        User user = owner(actor, userId);
        if (actor.id() == userId && mustHave(user)) {
            throw ApiException.forbidden("a TOTP is required on this server; an admin can reset yours");
        }
        row(userId, totpId);
        db.txRun(h -> {
            store.delete(h, totpId);
            events.record(h, actor.id(), null, ObjectType.USER, userId, user.username(),
                    "TOTP removed for user " + user.username());
        });
    }

    /** Whether the code is the user's for now (one step either way) and its step was not used before. */
    public boolean verify(long userId, String passcode) {
        requireEnabled();
        Optional<TotpStore.Row> found = db.read(h -> store.ofUser(h, userId));
        if (found.isEmpty() || passcode == null || !passcode.strip().matches("\\d{6}")) {
            return false;
        }
        TotpStore.Row row = found.get();
        String secret = keyring.decrypt(row.secret());
        long now = clock.instant().getEpochSecond() / PERIOD_SECONDS;
        DefaultCodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);
        byte[] given = passcode.strip().getBytes(StandardCharsets.US_ASCII);
        for (long step = now - 1; step <= now + 1; step++) {
            try {
                byte[] expected = codes.generate(secret, step).getBytes(StandardCharsets.US_ASCII);
                long matched = step;
                if (MessageDigest.isEqual(expected, given)) {
                    return db.tx(h -> store.useStep(h, row.id(), matched));
                }
            } catch (CodeGenerationException e) {
                throw new IllegalStateException("a TOTP code could not be computed", e);
            }
        }
        return false;
    }

    /** The recovery code, once: it removes the TOTP (the user sets up a new one). */
    public boolean recover(long userId, String code) {
        requireEnabled();
        if (!allowRecovery) {
            throw ApiException.forbidden("TOTP_RECOVERY_DISABLED");
        }
        Optional<TotpStore.Row> found = db.read(h -> store.ofUser(h, userId));
        if (found.isEmpty() || code == null || !hasher.matches(code.strip().toUpperCase(java.util.Locale.ROOT),
                found.get().recoveryHash())) {
            return false;
        }
        db.txRun(h -> {
            store.delete(h, found.get().id());
            events.record(h, userId, null, ObjectType.USER, userId, "",
                    "TOTP recovery code used; the TOTP was removed");
        });
        return true;
    }

    private void requireEnabled() {
        if (!enabled) {
            throw ApiException.forbidden("TOTP_DISABLED");
        }
    }

    /** The user, when the actor is that user or an admin. */
    private User owner(User actor, long userId) {
        if (actor.id() != userId && !actor.admin()) {
            throw ApiException.forbidden("only the user or an admin can change a user's TOTP");
        }
        return users.find(userId).orElseThrow(() -> ApiException.notFound("user " + userId + " not found"));
    }

    private TotpStore.Row row(long userId, long totpId) {
        return db.read(h -> store.ofUser(h, userId)).filter(r -> r.id() == totpId)
                .orElseThrow(() -> ApiException.notFound("TOTP " + totpId + " of user " + userId + " not found"));
    }

    private QrData data(User user, String secret) {
        return new QrData.Builder().label(user.email().isBlank() ? user.username() : user.email()).secret(secret)
                .issuer(issuer).algorithm(HashingAlgorithm.SHA1).digits(6).period(PERIOD_SECONDS).build();
    }

    private String url(User user, String secret) {
        return data(user, secret).getUri();
    }
}
