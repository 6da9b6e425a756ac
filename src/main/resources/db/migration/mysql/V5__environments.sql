CREATE TABLE environments (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    name       VARCHAR(255) NOT NULL,
    json       TEXT NOT NULL,
    env        TEXT NOT NULL,
    created    DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX environments_project ON environments (project_id, name);

CREATE TABLE environment_secrets (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    environment_id BIGINT NOT NULL,
    name           VARCHAR(255) NOT NULL,
    type           VARCHAR(8) NOT NULL,
    secret         TEXT NOT NULL,
    FOREIGN KEY (environment_id) REFERENCES environments (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX environment_secrets_environment ON environment_secrets (environment_id);
