package dev.semaphore.live;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.AccessGuard;
import dev.semaphore.security.Authenticator;
import dev.semaphore.security.Principal;
import dev.semaphore.web.Api;
import dev.semaphore.web.RouteGroup;
import java.util.Optional;

/** {@code GET /api/ws}: task updates and log lines pushed to signed-in users (cookie or token). */
public final class LiveController implements RouteGroup {
    private final LiveHub hub;
    private final Authenticator authenticator;

    public LiveController(LiveHub hub, Authenticator authenticator) {
        this.hub = hub;
        this.authenticator = authenticator;
    }

    @Override
    public void register(Api api) {
        // Checked at the HTTP upgrade, so an anonymous client gets a plain 401 as upstream answers.
        api.ws("/ws", Access.PUBLIC, ctx -> {
            AccessGuard.rejectCrossSite(ctx);
            if (authenticator.authenticate(ctx).isEmpty()) {
                throw ApiException.unauthorized("not authenticated");
            }
        }, ws -> {
            ws.onConnect(ctx -> {
                Optional<Principal> principal = authenticator.authenticate(ctx.header("Authorization"),
                        ctx.cookie(Authenticator.COOKIE));
                if (principal.isEmpty()) {
                    ctx.closeSession(4001, "not authenticated");
                    return;
                }
                ctx.enableAutomaticPings();
                String header = ctx.header("Authorization");
                String cookie = ctx.cookie(Authenticator.COOKIE);
                // Asked again before each delivery: a socket whose session or token ended is closed.
                hub.opened(ctx, () -> authenticator.authenticate(header, cookie).map(Principal::user));
            });
            ws.onClose(hub::closed);
            ws.onError(hub::closed);
        });
        // A plain request (no upgrade) is answered as upstream answers it: 401 signed out, else 400.
        api.get("/ws", Access.PUBLIC, ctx -> {
            if (authenticator.authenticate(ctx).isEmpty()) {
                throw ApiException.unauthorized("not authenticated");
            }
            throw ApiException.badRequest("this is a websocket: ask for an upgrade (Connection: Upgrade)");
        });
    }
}
