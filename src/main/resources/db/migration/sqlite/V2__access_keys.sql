CREATE TABLE access_keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    type       VARCHAR(32) NOT NULL,
    owner      VARCHAR(32) NOT NULL DEFAULT '',
    login      VARCHAR(255),
    secret     TEXT,
    created    TEXT NOT NULL
);
CREATE INDEX access_keys_project ON access_keys (project_id, name);
