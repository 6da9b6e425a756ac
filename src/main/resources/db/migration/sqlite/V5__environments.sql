CREATE TABLE environments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    json       TEXT NOT NULL,
    env        TEXT NOT NULL,
    created    TEXT NOT NULL
);
CREATE INDEX environments_project ON environments (project_id, name);

CREATE TABLE environment_secrets (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    environment_id BIGINT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    name           VARCHAR(255) NOT NULL,
    type           VARCHAR(8) NOT NULL,
    secret         TEXT NOT NULL
);
CREATE INDEX environment_secrets_environment ON environment_secrets (environment_id);
