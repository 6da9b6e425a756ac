CREATE TABLE inventories (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id    BIGINT NOT NULL,
    name          VARCHAR(255) NOT NULL,
    type          VARCHAR(32) NOT NULL,
    inventory     TEXT NOT NULL,
    ssh_key_id    BIGINT,
    become_key_id BIGINT,
    repository_id BIGINT,
    created       DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX inventories_project ON inventories (project_id, name);
