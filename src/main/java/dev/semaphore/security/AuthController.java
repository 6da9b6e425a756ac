package dev.semaphore.security;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.user.User;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/auth/*}: password login into a server-side session, and logout. */
public final class AuthController implements RouteGroup {
    /** Which second factor a user owes after the password (NONE when the server or the user has none). */
    public interface SecondFactor {
        SessionService.Verification owedBy(long userId);

        /** What a sign-in through an identity provider still owes (the provider asked for the password). */
        default SessionService.Verification owedAfterProvider(long userId) {
            return owedBy(userId);
        }

        /** A session owing {@code owed} was just made: send what it needs (an e-mailed code). */
        default void started(long userId, String sessionToken, SessionService.Verification owed) {
        }

        /** Upstream's {@code auth_methods} of the login metadata. */
        default java.util.Map<String, Object> methods() {
            return java.util.Map.of();
        }

        SecondFactor NONE = userId -> SessionService.Verification.NONE;
    }

    private final SecondFactor secondFactor;

    private final List<PasswordAuthenticator> authenticators;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final boolean passwordLoginDisabled;
    private final java.util.function.Supplier<List<Map<String, Object>>> oidcProviders;

    /** @param authenticators asked in order; the first that accepts the credentials signs the user in */
    public AuthController(List<PasswordAuthenticator> authenticators, SessionService sessions, LoginThrottle throttle,
                          boolean passwordLoginDisabled, SecondFactor secondFactor,
                          java.util.function.Supplier<List<Map<String, Object>>> oidcProviders) {
        this.oidcProviders = oidcProviders;
        this.secondFactor = secondFactor;
        this.authenticators = List.copyOf(authenticators);
        this.sessions = sessions;
        this.throttle = throttle;
        this.passwordLoginDisabled = passwordLoginDisabled;
    }

    @Override
    public void register(Api api) {
        api.get("/auth/login", Access.PUBLIC, this::metadata)
                .post("/auth/login", Access.PUBLIC, this::login)
                .post("/auth/logout", Access.PUBLIC, this::logout)
                .get("/auth/lockouts", Access.ADMIN, ctx -> ctx.json(throttle.list()))
                .delete("/auth/lockouts", Access.ADMIN, ctx -> {
                    String subject = ctx.queryParam("subject");
                    if (subject == null || subject.isBlank()) {
                        throw ApiException.badRequest("query parameter 'subject' is required (login:NAME or address:IP)");
                    }
                    throttle.clear(Caller.user(ctx).id(), subject);
                    ctx.status(204);
                });
    }

    private void metadata(Context ctx) {
        ctx.json(Map.of(
                "oidc_providers", oidcProviders.get(),
                "login_with_password", !passwordLoginDisabled,
                "auth_methods", secondFactor.methods()));
    }

    private void login(Context ctx) {
        JsonBody body = Requests.body(ctx);
        String login = body.requiredString("auth");
        String password = body.optionalString("password").orElse("");
        if (password.isEmpty()) {
            throw ApiException.badRequest("field 'password' is required");
        }
        if (passwordLoginDisabled) {
            throw ApiException.unauthorized("password login is disabled on this server");
        }
        LoginThrottle.Guess guess;
        try {
            guess = throttle.login(login, ctx.ip());
        } catch (LoginThrottle.LockedOut e) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            throw e;
        }
        Optional<User> found = Optional.empty();
        for (PasswordAuthenticator authenticator : authenticators) {
            found = authenticator.authenticate(login, password);
            if (found.isPresent()) {
                break;
            }
        }
        if (found.isEmpty()) {
            throw ApiException.unauthorized("wrong login or password");
        }
        User user = found.get();
        guess.succeeded();
        SessionService.Verification owed = secondFactor.owedBy(user.id());
        String token = sessions.create(user.id(), ctx.ip(), ctx.header("User-Agent"), owed);
        setSessionCookie(ctx, token, -1);
        secondFactor.started(user.id(), token, owed);
        ctx.status(204);
    }

    private void logout(Context ctx) {
        String token = ctx.cookie(Authenticator.COOKIE);
        if (token != null && !token.isEmpty()) {
            sessions.expire(token);
        }
        setSessionCookie(ctx, "", 0);
        ctx.status(204);
    }

    /** Sets (or, with max age 0, clears) the session cookie, Secure when the request came over HTTPS. */
    public static void setSessionCookie(Context ctx, String value, int maxAge) {
        String path = ctx.contextPath().isEmpty() ? "/" : ctx.contextPath();
        boolean secure = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equals(ctx.scheme());
        StringBuilder cookie = new StringBuilder(Authenticator.COOKIE).append('=').append(value)
                .append("; Path=").append(path).append("; HttpOnly; SameSite=Lax");
        if (maxAge >= 0) {
            cookie.append("; Max-Age=").append(maxAge);
        }
        if (secure) {
            cookie.append("; Secure");
        }
        ctx.res().addHeader("Set-Cookie", cookie.toString());
    }
}
