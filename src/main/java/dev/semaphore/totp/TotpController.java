package dev.semaphore.totp;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.Authenticator;
import dev.semaphore.security.Caller;
import dev.semaphore.security.LoginThrottle;
import dev.semaphore.security.SessionService;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import io.javalin.http.Context;

/**
 * Upstream's TOTP routes: {@code /api/users/{id}/2fas/totp} (add; its QR code; remove) for the user or
 * an admin, and the second step of a sign-in: {@code POST /api/auth/verify {passcode}} and
 * {@code POST /api/auth/recovery {recovery_code}} with the session cookie the password gave. Wrong
 * codes count as failed logins (the same throttle), so six digits cannot be guessed.
 */
public final class TotpController implements RouteGroup {
    private final TotpService totp;
    private final SessionService sessions;
    private final LoginThrottle throttle;

    public TotpController(TotpService totp, SessionService sessions, LoginThrottle throttle) {
        this.totp = totp;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @Override
    public void register(Api api) {
        // Ours: a user's TOTP, if any (upstream carries it in the user), for the account page.
        api.get("/users/{user_id}/2fas/totp", Access.USER, ctx -> ctx.json(totp.ofOwned(Caller.user(ctx),
                        Requests.idParam(ctx, "user_id"))))
                .post("/users/{user_id}/2fas/totp", Access.USER,
                        ctx -> ctx.json(totp.enable(Caller.user(ctx), Requests.idParam(ctx, "user_id"))))
                .get("/users/{user_id}/2fas/totp/{totp_id}/qr", Access.USER, ctx -> ctx.contentType("image/png")
                        .result(totp.qr(Caller.user(ctx), Requests.idParam(ctx, "user_id"),
                                Requests.idParam(ctx, "totp_id"))))
                .delete("/users/{user_id}/2fas/totp/{totp_id}", Access.USER, ctx -> {
                    totp.disable(Caller.user(ctx), Requests.idParam(ctx, "user_id"), Requests.idParam(ctx, "totp_id"));
                    ctx.status(204);
                })
                .post("/auth/verify", Access.PUBLIC, ctx -> second(ctx, "passcode", false))
                .post("/auth/recovery", Access.PUBLIC, ctx -> second(ctx, "recovery_code", true));
    }

    private void second(Context ctx, String field, boolean recovery) {
        String cookie = ctx.cookie(Authenticator.COOKIE);
        long userId = sessions.pendingUser(cookie, SessionService.Verification.TOTP)
                .orElseThrow(() -> ApiException.unauthorized("no sign-in waits for a second factor"));
        String subject = "totp:" + userId;
        throttle.check(subject, ctx.ip());
        String given = Requests.body(ctx).requiredString(field);
        boolean ok = recovery ? totp.recover(userId, given) : totp.verify(userId, given);
        if (!ok) {
            throttle.failed(subject, ctx.ip());
            throw ApiException.unauthorized(recovery ? "INVALID_RECOVERY_CODE" : "INVALID_PASSCODE");
        }
        throttle.succeeded(subject);
        sessions.verify(cookie);
        ctx.status(204);
    }
}
