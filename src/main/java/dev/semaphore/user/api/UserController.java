package dev.semaphore.user.api;

import dev.semaphore.common.Durations;
import dev.semaphore.common.JsonBody;
import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.LoginThrottle;
import dev.semaphore.security.SessionService;
import dev.semaphore.user.ApiTokenService;
import dev.semaphore.user.User;
import dev.semaphore.user.UserService;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** {@code /api/user}, {@code /api/users} and {@code /api/user/tokens}. */
public final class UserController implements RouteGroup {
    private final UserService users;
    private final ApiTokenService tokens;
    private final Predicate<User> canCreateProject;
    private final LoginThrottle logins;
    private final SessionService sessions;
    private final java.util.function.LongFunction<java.util.Optional<?>> totpOf;

    /** @param totpOf a user's TOTP as upstream shows it in user objects, if they added one */
    public UserController(UserService users, ApiTokenService tokens, Predicate<User> canCreateProject,
                          LoginThrottle logins, SessionService sessions,
                          java.util.function.LongFunction<java.util.Optional<?>> totpOf) {
        this.totpOf = totpOf;
        this.logins = logins;
        this.sessions = sessions;
        this.users = users;
        this.tokens = tokens;
        this.canCreateProject = canCreateProject;
    }

    @Override
    public void register(Api api) {
        api.get("/user", Access.USER, this::self)
                .get("/user/tokens", Access.USER, ctx -> ctx.json(tokens.list(Caller.user(ctx).id())))
                .post("/user/tokens", Access.USER, this::createToken)
                .delete("/user/tokens/{api_token_id}", Access.USER, ctx -> {
                    tokens.delete(Caller.user(ctx).id(), ctx.pathParam("api_token_id"));
                    ctx.status(204);
                })
                .get("/users", Access.USER, this::list)
                .post("/users", Access.ADMIN, this::create)
                .get("/users/{user_id}", Access.USER,
                        ctx -> ctx.json(withTotp(users.get(Caller.user(ctx), Requests.idParam(ctx, "user_id")))))
                .put("/users/{user_id}", Access.USER, this::update)
                .delete("/users/{user_id}", Access.USER, ctx -> {
                    users.delete(Caller.user(ctx), Requests.idParam(ctx, "user_id"));
                    ctx.status(204);
                })
                .post("/users/{user_id}/password", Access.USER, ctx -> {
                    var body = Requests.body(ctx);
                    long id = Requests.idParam(ctx, "user_id");
                    User caller = Caller.user(ctx);
                    if (caller.id() == id && !caller.external()) {
                        requireCurrentPassword(ctx, caller, body.optionalString("current_password").orElse(""));
                    }
                    // The browser session that changes its own user's password stays signed in.
                    String cookie = Caller.principal(ctx).viaCookie() && caller.id() == id
                            ? ctx.cookie(dev.semaphore.security.Authenticator.COOKIE) : null;
                    users.changePassword(caller, id, body.optionalString("password").orElse(null),
                            cookie == null ? null : dev.semaphore.common.Secrets.sha256Hex(cookie),
                            body.bool("keep_tokens", false));
                    ctx.status(204);
                });
    }

    /**
     * Whoever changes their own password gives the current one, so a stolen session or token cannot
     * lock its owner out; wrong ones count as failed sign-ins of the account. (An admin setting another
     * user's password needs none.)
     */
    private void requireCurrentPassword(Context ctx, User caller, String current) {
        if (current.isEmpty()) {
            throw ApiException.badRequest("field 'current_password' is required to change your own password");
        }
        LoginThrottle.Guess guess = logins.login(caller.username(), ctx.ip());
        if (users.authenticate(caller.username(), current).filter(u -> u.id() == caller.id()).isEmpty()) {
            throw ApiException.badRequest("field 'current_password' is not your current password");
        }
        guess.succeeded();
    }

    private void self(Context ctx) {
        User user = Caller.user(ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.id());
        out.put("created", user.created());
        out.put("username", user.username());
        out.put("name", user.name());
        out.put("email", user.email());
        out.put("alert", user.alert());
        out.put("admin", user.admin());
        out.put("external", user.external());
        out.put("pro", user.pro());
        out.put("can_create_project", canCreateProject.test(user));
        out.put("has_active_subscription", false);
        totpOf.apply(user.id()).ifPresent(totp -> out.put("totp", totp));
        ctx.json(out);
    }

    /** A user (for themselves or an admin) with upstream's {@code totp} object once they added one. */
    private Object withTotp(User user) {
        java.util.Optional<?> totp = totpOf.apply(user.id());
        if (totp.isEmpty()) {
            return user;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> out = dev.semaphore.common.Json.mapper().convertValue(user, LinkedHashMap.class);
        out.put("totp", totp.get());
        return out;
    }

    private void list(Context ctx) {
        List<User> found = users.list(ctx.queryParam("s"));
        if (Caller.user(ctx).admin()) {
            ctx.json(found);
        } else {
            // Non-admins see only what they need to pick a teammate, as upstream.
            ctx.json(found.stream().map(u -> Map.of("id", u.id(), "name", u.name(), "username", u.username()))
                    .toList());
        }
    }

    private void create(Context ctx) {
        JsonBody body = Requests.body(ctx);
        UserService.NewUser input = new UserService.NewUser(
                body.optionalString("username").orElse(null),
                body.optionalString("name").orElse(null),
                body.optionalString("email").orElse(null),
                body.optionalString("password").orElse(null),
                body.bool("admin", false),
                body.bool("external", false),
                body.bool("alert", false));
        ctx.status(201).json(users.create(Caller.user(ctx), input));
    }

    private void update(Context ctx) {
        JsonBody body = Requests.body(ctx);
        UserService.UserChanges changes = new UserService.UserChanges(
                body.optionalString("username").orElse(null),
                body.optionalString("name").orElse(null),
                body.optionalString("email").orElse(null),
                body.optionalBoolean("admin").orElse(null),
                body.optionalBoolean("alert").orElse(null));
        users.update(Caller.user(ctx), Requests.idParam(ctx, "user_id"), changes);
        ctx.status(204);
    }

    private void createToken(Context ctx) {
        String name = null;
        Duration ttl = null;
        java.time.Instant until = null;
        if (!ctx.body().isBlank()) {
            JsonBody body = Requests.body(ctx);
            name = body.optionalString("name").orElse(null);
            ttl = body.optionalString("ttl").map(t -> Durations.parse(t, "ttl")).orElse(null);
            until = body.optionalString("expires_at").filter(t -> !t.isBlank()).map(t -> {
                try {
                    return java.time.OffsetDateTime.parse(t).toInstant();
                } catch (java.time.format.DateTimeParseException e) {
                    throw dev.semaphore.common.ApiException.badRequest(
                            "field 'expires_at' must be a time such as 2027-01-31T00:00:00Z");
                }
            }).orElse(null);
        }
        // The credential this request came with must still be live when the token is written, on whichever
        // server process ended it meanwhile.
        java.util.function.Predicate<org.jdbi.v3.core.Handle> stillValid;
        if (Caller.principal(ctx).viaCookie()) {
            String cookie = ctx.cookie(dev.semaphore.security.Authenticator.COOKIE);
            stillValid = h -> sessions.holdLive(h, cookie);
        } else {
            String bearer = ctx.header("Authorization").substring(7).trim();
            stillValid = h -> tokens.holdLive(h, bearer);
        }
        ctx.status(201).json(tokens.create(Caller.user(ctx).id(), name, ttl, until, stillValid));
    }
}
