-- Invitations into a project, by user or by e-mail; only a hash of the token is kept.
CREATE TABLE project_invites (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id      BIGINT NOT NULL,
    user_id         BIGINT,
    email           VARCHAR(255),
    role            VARCHAR(32) NOT NULL,
    status          VARCHAR(16) NOT NULL,
    token_hash      VARCHAR(64) NOT NULL UNIQUE,
    inviter_user_id BIGINT,
    created         DATETIME(3) NOT NULL,
    expires_at      DATETIME(3) NOT NULL,
    accepted_at     DATETIME(3),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX project_invites_project ON project_invites (project_id);
