-- Who a user is at an identity provider: LDAP (the entry's DN) or an OIDC provider (the sub claim).
-- A sign-in through a provider finds its user by this pair, never by e-mail alone.
CREATE TABLE user_identities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         VARCHAR(8) NOT NULL,
    provider     VARCHAR(100) NOT NULL,
    external_uid VARCHAR(500) NOT NULL,
    created      TEXT NOT NULL,
    UNIQUE (type, provider, external_uid),
    UNIQUE (user_id, type, provider)
);

-- What a directory or IdP group mapping granted (admin when project_id is null), so a later sign-in
-- outside the group takes back exactly that and never a role an admin gave by hand.
CREATE TABLE user_role_grants (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source     VARCHAR(120) NOT NULL,
    project_id BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    role       VARCHAR(32) NOT NULL,
    created    TEXT NOT NULL
);
CREATE INDEX user_role_grants_user ON user_role_grants (user_id);
