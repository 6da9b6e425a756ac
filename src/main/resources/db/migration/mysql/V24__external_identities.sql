-- Who a user is at an identity provider: LDAP (the entry's DN) or an OIDC provider (the sub claim).
-- A sign-in through a provider finds its user by this pair, never by e-mail alone.
CREATE TABLE user_identities (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id      BIGINT NOT NULL,
    type         VARCHAR(8) NOT NULL,
    provider     VARCHAR(100) NOT NULL,
    external_uid VARCHAR(500) NOT NULL,
    created      DATETIME(3) NOT NULL,
    UNIQUE (type, provider, external_uid),
    UNIQUE (user_id, type, provider),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What a directory or IdP group mapping granted (admin when project_id is null), so a later sign-in
-- outside the group takes back exactly that and never a role an admin gave by hand.
CREATE TABLE user_role_grants (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    source     VARCHAR(120) NOT NULL,
    project_id BIGINT NULL,
    role       VARCHAR(32) NOT NULL,
    created    DATETIME(3) NOT NULL,
    INDEX user_role_grants_user (user_id),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
