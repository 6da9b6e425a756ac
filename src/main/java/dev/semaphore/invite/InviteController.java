package dev.semaphore.invite;

import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;

/** {@code /api/project/{id}/invites} (for those who manage the team) and {@code /api/invites/accept}. */
public final class InviteController implements RouteGroup {
    private final InviteService invites;

    public InviteController(InviteService invites) {
        this.invites = invites;
    }

    @Override
    public void register(Api api) {
        String base = "/project/{project_id}/invites";
        Access member = Access.projectMember();
        api.get(base, member, ctx -> ctx.json(invites.list(Caller.project(ctx))))
                .post(base, member, ctx -> ctx.status(201).json(invites.create(Caller.user(ctx), Caller.project(ctx),
                        Requests.body(ctx))))
                .get(base + "/{invite_id}", member, ctx -> ctx.json(invites.get(Caller.project(ctx),
                        Requests.idParam(ctx, "invite_id"))))
                .put(base + "/{invite_id}", member, ctx -> {
                    invites.update(Caller.user(ctx), Caller.project(ctx), Requests.idParam(ctx, "invite_id"),
                            Requests.body(ctx));
                    ctx.status(204);
                })
                .delete(base + "/{invite_id}", member, ctx -> {
                    invites.delete(Caller.user(ctx), Caller.project(ctx), Requests.idParam(ctx, "invite_id"));
                    ctx.status(204);
                })
                .post("/invites/accept", Access.USER, ctx -> ctx.json(invites.accept(Caller.user(ctx),
                        Requests.body(ctx).optionalString("token").orElse(null))));
    }
}
