CREATE TABLE task_stages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id    BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    type       VARCHAR(32) NOT NULL,
    first_line INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    end_time   TEXT,
    result     TEXT
);
CREATE INDEX task_stages_task ON task_stages (task_id, id);
