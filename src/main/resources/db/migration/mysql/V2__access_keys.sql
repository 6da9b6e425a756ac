CREATE TABLE access_keys (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    name       VARCHAR(255) NOT NULL,
    type       VARCHAR(32) NOT NULL,
    owner      VARCHAR(32) NOT NULL DEFAULT '',
    login      VARCHAR(255),
    secret     TEXT,
    created    DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX access_keys_project ON access_keys (project_id, name);
