CREATE TABLE templates (
    id                            BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id                    BIGINT NOT NULL,
    name                          VARCHAR(255) NOT NULL,
    app                           VARCHAR(64) NOT NULL,
    playbook                      VARCHAR(1024) NOT NULL DEFAULT '',
    description                   TEXT,
    arguments                     TEXT,
    allow_override_args_in_task   BOOLEAN NOT NULL DEFAULT FALSE,
    allow_override_branch_in_task BOOLEAN NOT NULL DEFAULT FALSE,
    allow_parallel_tasks          BOOLEAN NOT NULL DEFAULT FALSE,
    suppress_success_alerts       BOOLEAN NOT NULL DEFAULT FALSE,
    autorun                       BOOLEAN NOT NULL DEFAULT FALSE,
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
    created                       DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX templates_project ON templates (project_id, name);

CREATE TABLE template_vaults (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    template_id  BIGINT NOT NULL,
    name         VARCHAR(255) NOT NULL DEFAULT '',
    type         VARCHAR(16) NOT NULL,
    vault_key_id BIGINT,
    script       VARCHAR(1024),
    FOREIGN KEY (template_id) REFERENCES templates (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX template_vaults_template ON template_vaults (template_id);
