package dev.semaphore.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One OpenID provider as the Nimbus SDK speaks to it: its endpoints (discovered once, or given), the
 * authorization request (state, nonce, PKCE S256), the code exchange and the ID token's verification
 * (signature by the provider's JWKS, issuer, audience = our client id, expiry, nonce).
 */
final class OidcProvider {
    private static final int TIMEOUT_MS = 10_000;

    /** What the provider's sign-in proved: the ID token's claims, with userinfo's added where missing. */
    record Claims(String subject, Map<String, Object> values) {
    }

    /** The provider refused, or its answer did not verify; the message is safe to show. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private record Endpoints(URI authorization, URI token, URI userinfo, IDTokenValidator validator,
                             boolean secretInBody) {
    }

    private final OidcSettings settings;
    private volatile Endpoints endpoints;

    OidcProvider(OidcSettings settings) {
        this.settings = settings;
    }

    OidcSettings settings() {
        return settings;
    }

    URI authorizationUrl(URI redirect, String state, String nonce, String verifier) throws Refused {
        return new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                new Scope(settings.scopes().toArray(String[]::new)), new ClientID(settings.clientId()), redirect)
                .endpointURI(endpoints().authorization())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(verifier), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    Claims exchange(String code, URI redirect, String verifier, String nonce) throws Refused {
        Endpoints e = endpoints();
        ClientID client = new ClientID(settings.clientId());
        Secret secret = new Secret(settings.clientSecret());
        ClientAuthentication auth = e.secretInBody() ? new ClientSecretPost(client, secret)
                : new ClientSecretBasic(client, secret);
        TokenRequest request = new TokenRequest(e.token(), auth,
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirect, new CodeVerifier(verifier)));
        OIDCTokenResponse tokens;
        try {
            HTTPRequest http = request.toHTTPRequest();
            timeouts(http);
            var response = OIDCTokenResponseParser.parse(http.send());
            if (!response.indicatesSuccess()) {
                var error = response.toErrorResponse().getErrorObject();
                throw new Refused("the provider refused the code: " + error.getCode()
                        + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
            }
            tokens = (OIDCTokenResponse) response.toSuccessResponse();
        } catch (Refused refused) {
            throw refused;
        } catch (Exception ex) {
            throw new Refused("the provider's token endpoint could not be used: " + ex.getMessage());
        }
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new Refused("the provider sent no ID token");
        }
        IDTokenClaimsSet verified;
        Map<String, Object> values;
        try {
            verified = e.validator().validate(idToken, new Nonce(nonce));
            values = new HashMap<>(verified.toJWTClaimsSet().getClaims());
        } catch (Exception ex) {
            throw new Refused("the ID token does not verify: " + ex.getMessage());
        }
        if (e.userinfo() != null && missingAny(values)) {
            values = withUserInfo(values, e.userinfo(), tokens.getOIDCTokens().getBearerAccessToken(),
                    verified.getSubject().getValue());
        }
        return new Claims(verified.getSubject().getValue(), values);
    }

    private boolean missingAny(Map<String, Object> values) {
        for (String claim : List.of(settings.usernameClaim(), settings.emailClaim())) {
            if (OidcClaims.first(values, claim) == null) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> withUserInfo(Map<String, Object> values, URI endpoint, BearerAccessToken token,
                                                    String subject) throws Refused {
        try {
            HTTPRequest http = new UserInfoRequest(endpoint, token).toHTTPRequest();
            timeouts(http);
            UserInfoResponse response = UserInfoResponse.parse(http.send());
            if (!response.indicatesSuccess()) {
                throw new Refused("the provider's userinfo endpoint refused: "
                        + response.toErrorResponse().getErrorObject().getCode());
            }
            var info = response.toSuccessResponse().getUserInfo();
            if (!subject.equals(info.getSubject().getValue())) {
                throw new Refused("the provider's userinfo is about someone else");
            }
            Map<String, Object> merged = new HashMap<>(info.toJSONObject());
            merged.putAll(values);
            return merged;
        } catch (Refused refused) {
            throw refused;
        } catch (Exception ex) {
            throw new Refused("the provider's userinfo endpoint could not be used: " + ex.getMessage());
        }
    }

    private Endpoints endpoints() throws Refused {
        Endpoints known = endpoints;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (endpoints == null) {
                endpoints = resolve();
            }
            return endpoints;
        }
    }

    /** Discovery (or the endpoints given); not cached when it fails, so a provider down at start is retried. */
    private Endpoints resolve() throws Refused {
        try {
            OidcSettings.Endpoint given = settings.endpoint();
            Issuer issuer;
            URI authorization;
            URI token;
            URI userinfo;
            URI jwks;
            Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
            boolean secretInBody = false;
            if (given.given()) {
                issuer = new Issuer(given.issuer());
                authorization = URI.create(given.auth());
                token = URI.create(given.token());
                userinfo = given.userinfo().isBlank() ? null : URI.create(given.userinfo());
                jwks = URI.create(given.jwks());
            } else {
                OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(settings.providerUrl()),
                        TIMEOUT_MS, TIMEOUT_MS);
                issuer = metadata.getIssuer();
                authorization = metadata.getAuthorizationEndpointURI();
                token = metadata.getTokenEndpointURI();
                userinfo = metadata.getUserInfoEndpointURI();
                jwks = metadata.getJWKSetURI();
                if (metadata.getIDTokenJWSAlgs() != null) {
                    algorithms.addAll(metadata.getIDTokenJWSAlgs());
                }
                var methods = metadata.getTokenEndpointAuthMethods();
                secretInBody = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            }
            if (!given.algorithms().isEmpty()) {
                algorithms.clear();
                given.algorithms().forEach(a -> algorithms.add(JWSAlgorithm.parse(a)));
            }
            // Keys only: a shared-secret (HS*) or unsigned token is never accepted.
            algorithms.removeIf(a -> !JWSAlgorithm.Family.SIGNATURE.contains(a));
            if (algorithms.isEmpty()) {
                algorithms.add(JWSAlgorithm.RS256);
            }
            var keys = JWKSourceBuilder.<SecurityContext>create(jwks.toURL()).build();
            IDTokenValidator validator = new IDTokenValidator(issuer, new ClientID(settings.clientId()),
                    new JWSVerificationKeySelector<>(algorithms, keys), null);
            return new Endpoints(authorization, token, userinfo, validator, secretInBody);
        } catch (Exception ex) {
            throw new Refused("the provider " + settings.id() + " cannot be reached or described: " + ex.getMessage());
        }
    }

    private static void timeouts(HTTPRequest http) {
        http.setConnectTimeout(TIMEOUT_MS);
        http.setReadTimeout(TIMEOUT_MS);
    }
}
