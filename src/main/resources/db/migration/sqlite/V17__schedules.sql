-- Schedules: cron or one-time runs of a template. next_run is the claim: the process that moves it
-- from the due time to the following one (a conditional update) is the one that queues the task.
CREATE TABLE schedules (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id       BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    template_id      BIGINT NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    name             VARCHAR(255) NOT NULL DEFAULT '',
    type             VARCHAR(16) NOT NULL DEFAULT '',
    cron_format      VARCHAR(255) NOT NULL DEFAULT '',
    run_at           TEXT,
    delete_after_run INTEGER NOT NULL DEFAULT 0,
    timezone         VARCHAR(64) NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    repository_id    BIGINT,
    last_commit_hash VARCHAR(64),
    task_params      TEXT NOT NULL,
    next_run         TEXT,
    last_run         TEXT,
    last_error       TEXT,
    missed_runs      INTEGER NOT NULL DEFAULT 0,
    created          TEXT NOT NULL
);
CREATE INDEX schedules_project ON schedules (project_id, template_id);
CREATE INDEX schedules_due ON schedules (active, next_run);
