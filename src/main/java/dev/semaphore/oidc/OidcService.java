package dev.semaphore.oidc;

import dev.semaphore.common.ApiException;
import dev.semaphore.common.Secrets;
import dev.semaphore.common.Times;
import dev.semaphore.config.Config;
import dev.semaphore.config.ConfigKeys;
import dev.semaphore.db.Database;
import dev.semaphore.identity.ExternalLogin;
import dev.semaphore.identity.IdentityService;
import dev.semaphore.user.User;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in through OpenID Connect providers ({@code oidc_providers}): a sign-in is started with a fresh
 * state, nonce and PKCE verifier kept in the database (any server process may receive the browser back),
 * and finished once: the code exchanged, the ID token verified, the person found by (provider, sub).
 */
public final class OidcService {
    private static final Logger log = LoggerFactory.getLogger(OidcService.class);
    static final Duration LOGIN_TTL = Duration.ofMinutes(10);

    private final Database db;
    private final IdentityService identities;
    private final Map<String, OidcProvider> providers;
    private final String webHost;
    private final OidcLoginStore store = new OidcLoginStore();

    private OidcService(Database db, IdentityService identities, Map<String, OidcProvider> providers, String webHost) {
        this.db = db;
        this.identities = identities;
        this.providers = providers;
        this.webHost = webHost;
    }

    public static OidcService of(Config config, Database db, IdentityService identities) {
        Map<String, OidcProvider> providers = new LinkedHashMap<>();
        for (OidcSettings settings : OidcSettings.all(config.map(ConfigKeys.OIDC_PROVIDERS))) {
            providers.put(settings.id(), new OidcProvider(settings));
        }
        return new OidcService(db, identities, java.util.Collections.unmodifiableMap(providers),
                config.string(ConfigKeys.WEB_HOST));
    }

    /** Upstream's {@code oidc_providers} of the login metadata: id, name, color, icon, by order (as configured). */
    public List<Map<String, Object>> listed() {
        return providers.values().stream()
                .map(OidcProvider::settings)
                .map(s -> Map.<String, Object>of("id", s.id(), "name", s.displayName(), "color", s.color(),
                        "icon", s.icon()))
                .toList();
    }

    record Started(String state, URI location) {
    }

    record Finished(User user, String returnTo) {
    }

    /** A new sign-in at {@code providerId}; {@code returnTo} is where the browser lands after it. */
    Started start(String providerId, URI redirect, String returnTo) {
        OidcProvider provider = provider(providerId);
        String state = Secrets.token(32);
        String nonce = Secrets.token(32);
        String verifier = Secrets.token(48);
        URI location;
        try {
            location = provider.authorizationUrl(redirect, state, nonce, verifier);
        } catch (OidcProvider.Refused e) {
            log.warn("OIDC sign-in at {} cannot start: {}", providerId, e.getMessage());
            throw new ApiException(502, e.getMessage());
        }
        Instant now = Times.now();
        db.txRun(h -> {
            store.deleteOlderThan(h, now.minus(LOGIN_TTL));
            store.insert(h, state, new OidcLoginStore.Pending(providerId, nonce, verifier, returnTo, now));
        });
        return new Started(state, location);
    }

    /**
     * Finishes the sign-in the state started, at most once: 401 for an unknown, taken, expired or
     * other provider's state, for a code the provider refuses and for an ID token that does not verify.
     */
    Finished finish(String providerId, String state, String code, URI redirect) {
        OidcProvider provider = provider(providerId);
        OidcLoginStore.Pending pending = db.tx(h -> store.take(h, state))
                .orElseThrow(() -> ApiException.unauthorized("this sign-in is unknown or was used already; start again"));
        if (!pending.provider().equals(providerId)) {
            throw ApiException.unauthorized("this sign-in was started at another provider");
        }
        if (pending.created().plus(LOGIN_TTL).isBefore(Times.now())) {
            throw ApiException.unauthorized("this sign-in took too long; start again");
        }
        if (code == null || code.isBlank()) {
            throw ApiException.unauthorized("the provider sent no code");
        }
        OidcProvider.Claims claims;
        try {
            claims = provider.exchange(code, redirect, pending.codeVerifier(), pending.nonce());
        } catch (OidcProvider.Refused e) {
            log.warn("OIDC sign-in at {} refused: {}", providerId, e.getMessage());
            throw ApiException.unauthorized(e.getMessage());
        }
        OidcSettings s = provider.settings();
        Map<String, Object> values = claims.values();
        ExternalLogin login = new ExternalLogin(ExternalLogin.OIDC, providerId, claims.subject(),
                OidcClaims.first(values, s.usernameClaim()), OidcClaims.first(values, s.nameClaim()),
                OidcClaims.first(values, s.emailClaim()), OidcClaims.isTrue(values, "email_verified"),
                OidcClaims.list(values, s.groupsClaim()));
        return new Finished(identities.signIn(login, s.groupRoles()), pending.returnTo());
    }

    /** Where the provider sends the browser back: the configured redirect_url, else ours under web_host or the request's base. */
    URI redirectUri(String providerId, String requestBase) {
        OidcSettings s = provider(providerId).settings();
        if (!s.redirectUrl().isBlank()) {
            return URI.create(s.redirectUrl());
        }
        String base = webHost.isBlank() ? requestBase : webHost.replaceAll("/+$", "");
        return URI.create(base + "/api/auth/oidc/" + providerId + "/redirect");
    }

    private OidcProvider provider(String id) {
        OidcProvider provider = providers.get(id);
        if (provider == null) {
            throw ApiException.notFound("no OIDC provider '" + id + "' is configured");
        }
        return provider;
    }
}
