package dev.semaphore.identity;

import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/**
 * {@code /api/users/{id}/identities}: a user's links to LDAP and OIDC providers (upstream's), and ours
 * to let an admin link an existing account to a provider's person, which sign-in never does by e-mail.
 */
public final class IdentityController implements RouteGroup {
    private final IdentityService identities;

    public IdentityController(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public void register(Api api) {
        api.get("/users/{user_id}/identities", Access.USER,
                        ctx -> ctx.json(identities.list(Caller.user(ctx), Requests.idParam(ctx, "user_id"))))
                .post("/users/{user_id}/identities", Access.ADMIN, ctx -> {
                    JsonBody body = Requests.body(ctx);
                    ctx.status(201).json(identities.linkByAdmin(Caller.user(ctx), Requests.idParam(ctx, "user_id"),
                            body.requiredString("type"), body.requiredString("provider"),
                            body.requiredString("external_uid")));
                })
                .delete("/users/{user_id}/identities/{type}/{provider}", Access.USER, ctx -> {
                    identities.unlink(Caller.user(ctx), Requests.idParam(ctx, "user_id"), ctx.pathParam("type"),
                            ctx.pathParam("provider"));
                    ctx.status(204);
                });
    }
}
