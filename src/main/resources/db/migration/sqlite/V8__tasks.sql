CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
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
    created        TEXT NOT NULL,
    start_time     TEXT,
    end_time       TEXT
);
CREATE INDEX tasks_project ON tasks (project_id, id);
CREATE INDEX tasks_template ON tasks (template_id, id);
CREATE INDEX tasks_status ON tasks (status, id);

CREATE TABLE task_output (
    task_id    BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    first_line INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    content    TEXT NOT NULL,
    PRIMARY KEY (task_id, first_line)
);
