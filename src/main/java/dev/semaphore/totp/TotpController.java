package dev.semaphore.totp;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/**
 * Upstream's TOTP routes: {@code /api/users/{id}/2fas/totp} (add; its QR code; remove) for the user or
 * an admin. The codes themselves are taken at sign-in (mfa.VerifyController).
 */
public final class TotpController implements RouteGroup {
    private final TotpService totp;

    public TotpController(TotpService totp) {
        this.totp = totp;
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
                });
    }
}
