package dev.semaphore.mfa;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.db.Database;
import dev.semaphore.mail.Mailer;
import dev.semaphore.security.AuthController;
import dev.semaphore.security.SessionService.Verification;
import dev.semaphore.totp.TotpService;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second factors a sign-in owes, TOTP first, then (with {@code auth.email.enabled}) a 6-digit code
 * sent by e-mail; and sign-in by e-mail and code alone. A code lives 10 minutes, allows 5 tries, is
 * taken once, and is re-sent at most every 30 seconds and 5 times.
 */
public final class EmailOtpService implements AuthController.SecondFactor {
    private static final Logger log = LoggerFactory.getLogger(EmailOtpService.class);
    static final Duration CODE_TTL = Duration.ofMinutes(10);
    static final Duration RESEND_AFTER = Duration.ofSeconds(30);
    static final int MAX_SENDS = 5;
    static final int MAX_ATTEMPTS = 5;

    public record Settings(boolean enabled, boolean loginAsExternalUser, boolean createExternalUser,
                           List<String> allowedDomains, boolean disableForOidc) {
    }

    private final Database db;
    private final TotpService totp;
    private final UserService users;
    private final Mailer mailer;
    private final Settings settings;
    private final Clock clock;
    private final EmailOtpStore store = new EmailOtpStore();
    private final SecureRandom random = new SecureRandom();

    public EmailOtpService(Database db, TotpService totp, UserService users, Mailer mailer, Settings settings,
                           Clock clock) {
        if (settings.enabled() && mailer == null) {
            throw new IllegalArgumentException("auth.email.enabled needs email_host to send the codes");
        }
        this.db = db;
        this.totp = totp;
        this.users = users;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Verification owedBy(long userId) {
        Verification byTotp = totp.owedBy(userId);
        return byTotp != Verification.NONE ? byTotp : settings.enabled() ? Verification.EMAIL : Verification.NONE;
    }

    @Override
    public Verification owedAfterProvider(long userId) {
        Verification byTotp = totp.owedBy(userId);
        return byTotp != Verification.NONE || settings.disableForOidc() ? byTotp : owedBy(userId);
    }

    @Override
    public void started(long userId, String sessionToken, Verification owed) {
        if (owed != Verification.EMAIL) {
            return;
        }
        User user = users.find(userId).orElseThrow();
        String code = newCode();
        db.txRun(h -> store.insert(h, Secrets.sha256Hex(sessionToken), userId, user.email(),
                codeHash(sessionToken, code), clock.instant()));
        mail(user.email(), code);
    }

    @Override
    public Map<String, Object> methods() {
        Map<String, Object> methods = new LinkedHashMap<>(totp.methods());
        if (settings.enabled()) {
            methods.put("email", Map.of());
        }
        return methods;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The code of a session still owed one (after its password): true once, for the right code in time. */
    boolean verifySession(String sessionToken, String code) {
        return take(sessionToken, code).isPresent();
    }

    /**
     * Starts a sign-in by e-mail: a code goes to the address when it may sign in that way (a user's, or a
     * new one allowed by {@code allow_create_external_user}). Nothing tells the caller which it was.
     *
     * @return the token the browser keeps in its cookie until the code is entered
     */
    String startEmailLogin(String address) {
        requireEnabled();
        String email = address == null ? "" : address.strip();
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            throw ApiException.badRequest("field 'email' must be an e-mail address");
        }
        String domain = email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!settings.allowedDomains().isEmpty() && settings.allowedDomains().stream()
                .noneMatch(d -> d.strip().toLowerCase(Locale.ROOT).equals(domain))) {
            throw ApiException.badRequest("field 'email': addresses at " + domain + " cannot sign in by e-mail here");
        }
        String token = Secrets.token(32);
        Optional<User> user = users.findByEmail(email);
        boolean may = user.map(u -> !u.external() || settings.loginAsExternalUser())
                .orElse(settings.createExternalUser());
        if (may) {
            String code = newCode();
            Instant now = clock.instant();
            db.txRun(h -> {
                store.deleteOlderThan(h, now.minus(CODE_TTL.multipliedBy(2)));
                store.insert(h, Secrets.sha256Hex(token), user.map(User::id).orElse(null),
                        user.map(User::email).orElse(email), codeHash(token, code), now);
            });
            mail(user.map(User::email).orElse(email), code);
        } else {
            log.info("sign-in by e-mail asked for an address that may not sign in that way");
        }
        return token;
    }

    /**
     * Finishes a sign-in by e-mail: the user (made now, when the address is new and may become one), for
     * the right code in time; empty otherwise.
     */
    Optional<User> finishEmailLogin(String token, String code) {
        return take(token, code).map(row -> row.userId() != null ? users.find(row.userId()).orElseThrow()
                : db.tx(h -> users.findByEmail(h, row.email()).orElseGet(() -> users.createExternal(h,
                        usernameFor(h, row.email()), row.email().substring(0, row.email().indexOf('@')), row.email(),
                        "at its first sign-in by e-mail"))));
    }

    /** Sends a new code for the sign-in under way; 429 when asked again too soon or too often. */
    void resend(String token) {
        requireEnabled();
        Instant now = clock.instant();
        Optional<EmailOtpStore.Row> row = db.read(h -> store.find(h, Secrets.sha256Hex(token)));
        if (row.isEmpty()) {
            return;
        }
        if (row.get().sends() >= MAX_SENDS || row.get().sent().plus(RESEND_AFTER).isAfter(now)) {
            throw new ApiException(429, "a code was sent a moment ago; wait before asking for another");
        }
        String code = newCode();
        db.txRun(h -> store.resent(h, row.get().id(), codeHash(token, code), now));
        mail(row.get().email(), code);
    }

    /** Who a sign-in under way is about, for the throttle: the same subject however the code is asked for. */
    Optional<String> subject(String token) {
        return db.read(h -> store.find(h, Secrets.sha256Hex(token))).map(r -> "email:" + r.email().toLowerCase(Locale.ROOT));
    }

    private Optional<EmailOtpStore.Row> take(String token, String code) {
        if (token == null || token.isEmpty() || code == null || !code.strip().matches("\\d{6}")) {
            return Optional.empty();
        }
        return db.tx(h -> {
            Optional<EmailOtpStore.Row> row = store.find(h, Secrets.sha256Hex(token));
            // Each try takes one of the code's attempts before it is compared, holding the row: parallel
            // tries cannot compare more often than MAX_ATTEMPTS between them.
            if (row.isEmpty() || row.get().sent().plus(CODE_TTL).isBefore(clock.instant())
                    || !store.takeAttempt(h, row.get().id(), MAX_ATTEMPTS)) {
                return Optional.empty();
            }
            boolean right = MessageDigest.isEqual(row.get().codeHash().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    codeHash(token, code.strip()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!right) {
                return Optional.empty();
            }
            return store.take(h, row.get().id()) ? row : Optional.empty();
        });
    }

    private String usernameFor(org.jdbi.v3.core.Handle h, String email) {
        String local = email.substring(0, email.indexOf('@'));
        return users.findByUsername(h, local).isEmpty() ? local : email;
    }

    private void mail(String to, String code) {
        try {
            mailer.send(List.of(to), "Your Semaphore sign-in code: " + code, "Your sign-in code is " + code
                    + ".\n\nIt is valid for " + CODE_TTL.toMinutes() + " minutes. If you did not try to sign in, "
                    + "someone knows your password or is trying your address: tell your administrator.\n");
        } catch (jakarta.mail.MessagingException | RuntimeException e) {
            log.error("the sign-in code could not be mailed: {}", e.getMessage());
            throw new ApiException(502, "the sign-in code could not be sent by e-mail; try again later");
        }
    }

    private String newCode() {
        return String.format("%06d", random.nextInt(1_000_000));
    }

    /** The code bound to its sign-in: the same six digits mean nothing for another token. */
    private static String codeHash(String token, String code) {
        return Secrets.sha256Hex(Secrets.sha256Hex(token) + ":" + code);
    }

    private void requireEnabled() {
        if (!settings.enabled()) {
            throw ApiException.forbidden("EMAIL_OTP_DISABLED");
        }
    }
}
