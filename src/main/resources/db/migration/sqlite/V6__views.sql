CREATE TABLE views (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title        VARCHAR(255) NOT NULL,
    position     INTEGER NOT NULL DEFAULT 0,
    hidden       INTEGER NOT NULL DEFAULT 0,
    type         VARCHAR(16) NOT NULL DEFAULT '',
    sort_column  VARCHAR(32),
    sort_reverse INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX views_project ON views (project_id, position);
