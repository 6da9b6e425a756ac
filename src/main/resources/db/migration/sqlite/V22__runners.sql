-- Remote runners: processes elsewhere that take tasks from this server. The token is kept as its
-- SHA-256 (shown once, at registration); touched is the last time the runner asked for work.
CREATE TABLE runners (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id         BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    name               VARCHAR(255) NOT NULL DEFAULT '',
    token_hash         CHAR(64) NOT NULL UNIQUE,
    webhook            VARCHAR(1024) NOT NULL DEFAULT '',
    max_parallel_tasks INTEGER NOT NULL DEFAULT 0,
    active             INTEGER NOT NULL DEFAULT 1,
    tag                VARCHAR(255) NOT NULL DEFAULT '',
    public_key         TEXT,
    version            VARCHAR(64),
    system_load        VARCHAR(32),
    touched            TEXT,
    cleaning_requested TEXT,
    created            TEXT NOT NULL
);
CREATE INDEX runners_project ON runners (project_id);
-- Which runner a task was given to, and why a task still waits (no runner can take it).
ALTER TABLE tasks ADD COLUMN runner_id BIGINT;
ALTER TABLE tasks ADD COLUMN waiting_reason VARCHAR(255);
CREATE INDEX tasks_runner ON tasks (runner_id);
