package dev.semaphore.ldap;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.JsonBody;
import dev.semaphore.security.Access;
import dev.semaphore.security.Caller;
import dev.semaphore.security.LoginThrottle;
import dev.semaphore.web.Api;
import dev.semaphore.web.Requests;
import dev.semaphore.web.RouteGroup;
import java.util.Optional;

/** {@code POST /api/user/identities/ldap {username, password}}: link the caller to their directory entry. */
public final class LdapController implements RouteGroup {
    private final Optional<LdapLogin> ldap;
    private final LoginThrottle throttle;

    public LdapController(Optional<LdapLogin> ldap, LoginThrottle throttle) {
        this.ldap = ldap;
        this.throttle = throttle;
    }

    @Override
    public void register(Api api) {
        api.post("/user/identities/ldap", Access.USER, ctx -> {
            LdapLogin login = ldap.orElseThrow(() -> ApiException.badRequest("LDAP is not enabled on this server"));
            JsonBody body = Requests.body(ctx);
            String username = body.requiredString("username");
            String password = body.requiredString("password");
            // Guessing a directory password here is guessing it at the sign-in page.
            LoginThrottle.Guess guess = throttle.login(username, ctx.ip());
            login.link(Caller.user(ctx), username, password);
            guess.succeeded();
            ctx.status(204);
        });
    }
}
