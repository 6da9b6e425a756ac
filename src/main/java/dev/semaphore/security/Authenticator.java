package dev.semaphore.security;

import dev.semaphore.common.Secrets;
import dev.semaphore.user.ApiTokenService;
import dev.semaphore.user.User;
import io.javalin.http.Context;
import java.util.Optional;

/** Finds the caller from {@code Authorization: Bearer <token>} or the {@code semaphore} session cookie. */
public final class Authenticator {
    public static final String COOKIE = "semaphore";

    private final SessionService sessions;
    private final ApiTokenService tokens;
    private final CredentialCache cache;

    public Authenticator(SessionService sessions, ApiTokenService tokens, CredentialCache cache) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.cache = cache;
    }

    /** Why a cookie that authenticates nobody does so: a second factor it still owes (upstream's error codes). */
    public Optional<String> owedFactor(String cookie) {
        return sessions.pending(cookie).map(v -> v == SessionService.Verification.TOTP ? "TOTP_REQUIRED"
                : v == SessionService.Verification.EMAIL ? "EMAIL_OTP_REQUIRED"
                : v == SessionService.Verification.TOTP_ENROLMENT ? "TOTP_ENROLMENT_REQUIRED" : "SESSION_NOT_VERIFIED");
    }

    public Optional<Principal> authenticate(Context ctx) {
        return authenticate(ctx.header("Authorization"), ctx.cookie(COOKIE));
    }

    /** The caller from an Authorization header and a {@code semaphore} cookie value (either may be null). */
    public Optional<Principal> authenticate(String header, String cookie) {
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? Optional.empty()
                    : cache.get("t" + Secrets.sha256Hex(token), () -> tokens.authenticate(token)
                            .map(owner -> new CredentialCache.Grant(owner.user(), owner.expiresAt())))
                            .map(user -> new Principal(user, false));
        }
        if (cookie != null && !cookie.isEmpty()) {
            Optional<User> user = cache.get("s" + Secrets.sha256Hex(cookie), () -> sessions.resolve(cookie)
                    .map(u -> new CredentialCache.Grant(u, null)));
            return user.map(u -> new Principal(u, true));
        }
        return Optional.empty();
    }
}
