package dev.semaphore.security;

import dev.semaphore.user.ApiTokenService;
import dev.semaphore.user.User;
import io.javalin.http.Context;
import java.util.Optional;

/** Finds the caller from {@code Authorization: Bearer <token>} or the {@code semaphore} session cookie. */
public final class Authenticator {
    public static final String COOKIE = "semaphore";

    private final SessionService sessions;
    private final ApiTokenService tokens;

    public Authenticator(SessionService sessions, ApiTokenService tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    public Optional<Principal> authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            return token.isEmpty() ? Optional.empty()
                    : tokens.authenticate(token).map(user -> new Principal(user, false, null));
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && !cookie.isEmpty()) {
            Optional<User> user = sessions.resolve(cookie);
            return user.map(u -> new Principal(u, true, cookie));
        }
        return Optional.empty();
    }
}
