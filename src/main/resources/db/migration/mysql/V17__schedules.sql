-- Schedules: cron or one-time runs of a template. next_run is the claim: the process that moves it
-- from the due time to the following one (a conditional update) is the one that queues the task.
CREATE TABLE schedules (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id       BIGINT NOT NULL,
    template_id      BIGINT NOT NULL,
    name             VARCHAR(255) NOT NULL DEFAULT '',
    type             VARCHAR(16) NOT NULL DEFAULT '',
    cron_format      VARCHAR(255) NOT NULL DEFAULT '',
    run_at           DATETIME(3),
    delete_after_run BOOLEAN NOT NULL DEFAULT FALSE,
    timezone         VARCHAR(64) NOT NULL DEFAULT '',
    active           BOOLEAN NOT NULL DEFAULT TRUE,
    repository_id    BIGINT,
    last_commit_hash VARCHAR(64),
    task_params      TEXT NOT NULL,
    next_run         DATETIME(3),
    last_run         DATETIME(3),
    last_error       TEXT,
    missed_runs      INTEGER NOT NULL DEFAULT 0,
    created          DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    FOREIGN KEY (template_id) REFERENCES templates (id) ON DELETE CASCADE
);
CREATE INDEX schedules_project ON schedules (project_id, template_id);
CREATE INDEX schedules_due ON schedules (active, next_run);
