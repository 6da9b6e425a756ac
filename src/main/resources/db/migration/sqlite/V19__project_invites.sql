-- Invitations into a project, by user or by e-mail; only a hash of the token is kept.
CREATE TABLE project_invites (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id         BIGINT,
    email           VARCHAR(255),
    role            VARCHAR(32) NOT NULL,
    status          VARCHAR(16) NOT NULL,
    token_hash      VARCHAR(64) NOT NULL UNIQUE,
    inviter_user_id BIGINT,
    created         TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    accepted_at     TEXT
);
CREATE INDEX project_invites_project ON project_invites (project_id);
