CREATE TABLE repositories (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    name       VARCHAR(255) NOT NULL,
    git_url    VARCHAR(2048) NOT NULL,
    git_branch VARCHAR(255) NOT NULL DEFAULT '',
    ssh_key_id BIGINT NOT NULL,
    created    DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX repositories_project ON repositories (project_id, name);
CREATE INDEX repositories_key ON repositories (ssh_key_id);
