CREATE TABLE tasks (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id     BIGINT NOT NULL,
    template_id    BIGINT NOT NULL,
    status         VARCHAR(32) NOT NULL,
    user_id        BIGINT,
    message        VARCHAR(1024) NOT NULL DEFAULT '',
    playbook       VARCHAR(1024) NOT NULL DEFAULT '',
    environment    TEXT,
    arguments      TEXT,
    git_branch     VARCHAR(255),
    params         TEXT NOT NULL,
    commit_hash    VARCHAR(64),
    commit_message VARCHAR(255),
    created        DATETIME(3) NOT NULL,
    start_time     DATETIME(3),
    end_time       DATETIME(3),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX tasks_project ON tasks (project_id, id);
CREATE INDEX tasks_template ON tasks (template_id, id);
CREATE INDEX tasks_status ON tasks (status, id);

CREATE TABLE task_output (
    task_id    BIGINT NOT NULL,
    first_line INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    content    MEDIUMTEXT NOT NULL,
    PRIMARY KEY (task_id, first_line),
    FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
