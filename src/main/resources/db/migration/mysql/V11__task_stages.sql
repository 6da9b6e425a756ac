CREATE TABLE task_stages (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    task_id    BIGINT NOT NULL,
    type       VARCHAR(32) NOT NULL,
    first_line INTEGER NOT NULL,
    start_time DATETIME(3) NOT NULL,
    end_time   DATETIME(3),
    result     MEDIUMTEXT,
    FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX task_stages_task ON task_stages (task_id, id);
