CREATE TABLE templates (
    id                            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id                    BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name                          VARCHAR(255) NOT NULL,
    app                           VARCHAR(64) NOT NULL,
    playbook                      VARCHAR(1024) NOT NULL DEFAULT '',
    description                   TEXT,
    arguments                     TEXT,
    allow_override_args_in_task   INTEGER NOT NULL DEFAULT 0,
    allow_override_branch_in_task INTEGER NOT NULL DEFAULT 0,
    allow_parallel_tasks          INTEGER NOT NULL DEFAULT 0,
    suppress_success_alerts       INTEGER NOT NULL DEFAULT 0,
    autorun                       INTEGER NOT NULL DEFAULT 0,
    type                          VARCHAR(16) NOT NULL DEFAULT '',
    start_version                 VARCHAR(255),
    build_template_id             BIGINT,
    view_id                       BIGINT,
    inventory_id                  BIGINT,
    repository_id                 BIGINT NOT NULL,
    environment_id                BIGINT,
    git_branch                    VARCHAR(255),
    survey_vars                   TEXT NOT NULL,
    task_params                   TEXT NOT NULL,
    runner_tag                    VARCHAR(255),
    created                       TEXT NOT NULL
);
CREATE INDEX templates_project ON templates (project_id, name);

CREATE TABLE template_vaults (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id  BIGINT NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL DEFAULT '',
    type         VARCHAR(16) NOT NULL,
    vault_key_id BIGINT,
    script       VARCHAR(1024)
);
CREATE INDEX template_vaults_template ON template_vaults (template_id);
