package dev.semaphore.oidc;

import dev.semaphore.common.ApiException;
import dev.semaphore.security.Access;
import dev.semaphore.security.AuthController;
import dev.semaphore.security.SessionService;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Upstream's {@code /api/auth/oidc/{provider}/login} (to the provider, with the state in the
 * {@code oauthstate} cookie) and {@code /redirect[/{path}]} (back: a session, then the web UI; on any
 * failure the sign-in page, saying why).
 */
public final class OidcController implements dev.semaphore.web.RouteGroup {
    private static final String STATE_COOKIE = "oauthstate";

    private final OidcService oidc;
    private final SessionService sessions;
    private final AuthController.SecondFactor secondFactor;
    private final String contextPath;

    public OidcController(OidcService oidc, SessionService sessions, AuthController.SecondFactor secondFactor,
                          String contextPath) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.secondFactor = secondFactor;
        this.contextPath = contextPath.replaceAll("/+$", "");
    }

    @Override
    public void register(dev.semaphore.web.Api api) {
        api.get("/auth/oidc/{provider}/login", Access.PUBLIC, this::login)
                .post("/auth/oidc/{provider}/login", Access.PUBLIC, this::login)
                .get("/auth/oidc/{provider}/redirect", Access.PUBLIC, this::redirect)
                .get("/auth/oidc/{provider}/redirect/<path>", Access.PUBLIC, this::redirect);
    }

    private void login(Context ctx) {
        String provider = ctx.pathParam("provider");
        String returnTo = dev.semaphore.web.Requests.localPath(ctx.queryParam("return_to"));
        OidcService.Started started;
        try {
            started = oidc.start(provider, oidc.redirectUri(provider, requestBase(ctx)), returnTo);
        } catch (ApiException unknownProvider) {
            if (unknownProvider.status() != 404) {
                throw unknownProvider;
            }
            // As upstream: back to the sign-in page, which lists the providers there are.
            ctx.redirect(contextPath + "/auth/login", io.javalin.http.HttpStatus.FOUND);
            return;
        }
        cookie(ctx, STATE_COOKIE, started.state(), contextPath + "/api/auth/oidc",
                (int) OidcService.LOGIN_TTL.toSeconds());
        ctx.redirect(started.location().toString(), io.javalin.http.HttpStatus.FOUND);
    }

    private void redirect(Context ctx) {
        String provider = ctx.pathParam("provider");
        String cookieState = ctx.cookie(STATE_COOKIE);
        cookie(ctx, STATE_COOKIE, "", contextPath + "/api/auth/oidc", 0);
        try {
            String error = ctx.queryParam("error");
            if (error != null) {
                String description = ctx.queryParam("error_description");
                throw ApiException.unauthorized("the provider said: " + error
                        + (description == null ? "" : " (" + description + ")"));
            }
            String state = ctx.queryParam("state");
            // The state must come back to the browser that started the sign-in (no login CSRF).
            if (state == null || cookieState == null || !java.security.MessageDigest.isEqual(
                    state.getBytes(StandardCharsets.UTF_8), cookieState.getBytes(StandardCharsets.UTF_8))) {
                throw ApiException.unauthorized("this sign-in was not started in this browser; start again");
            }
            OidcService.Finished finished = oidc.finish(provider, state, ctx.queryParam("code"),
                    oidc.redirectUri(provider, requestBase(ctx)));
            long userId = finished.user().id();
            SessionService.Verification owed = secondFactor.owedAfterProvider(userId);
            String token = sessions.create(userId, ctx.ip(), ctx.header("User-Agent"), owed);
            AuthController.setSessionCookie(ctx, token, -1);
            secondFactor.started(userId, token, owed);
            String path = ctx.pathParamMap().get("path");
            String target = path != null && !path.isBlank() ? "/" + path : finished.returnTo();
            ctx.redirect(contextPath + dev.semaphore.web.Requests.localPath(target), io.javalin.http.HttpStatus.FOUND);
        } catch (ApiException e) {
            if (e.status() >= 500) {
                throw e;
            }
            ctx.redirect(contextPath + "/auth/login?error="
                    + URLEncoder.encode("Sign-in failed: " + e.getMessage(), StandardCharsets.UTF_8),
                    io.javalin.http.HttpStatus.FOUND);
        }
    }

    private static String requestBase(Context ctx) {
        String forwardedProto = ctx.header("X-Forwarded-Proto");
        String scheme = forwardedProto == null ? ctx.scheme() : forwardedProto;
        return scheme + "://" + ctx.host() + ctx.contextPath().replaceAll("/+$", "");
    }

    private static void cookie(Context ctx, String name, String value, String path, int maxAge) {
        boolean secure = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equals(ctx.scheme());
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=" + (path.isEmpty() ? "/" : path)
                + "; HttpOnly; SameSite=Lax; Max-Age=" + maxAge + (secure ? "; Secure" : ""));
    }
}
