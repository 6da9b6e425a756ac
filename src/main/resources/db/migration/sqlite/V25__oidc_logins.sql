-- OpenID Connect sign-ins under way: the state (its SHA-256) the browser carries to the provider and
-- back, with the nonce and PKCE verifier that go with it. A row is taken once, by whichever server
-- process the browser returns to, so a replayed redirect finds nothing.
CREATE TABLE oidc_logins (
    state_hash    VARCHAR(64) NOT NULL PRIMARY KEY,
    provider      VARCHAR(100) NOT NULL,
    nonce         VARCHAR(100) NOT NULL,
    code_verifier VARCHAR(200) NOT NULL,
    return_to     VARCHAR(1000) NOT NULL,
    created       TEXT NOT NULL
);
