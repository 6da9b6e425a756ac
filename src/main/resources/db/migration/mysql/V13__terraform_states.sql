-- Terraform state kept by the server's HTTP backend, per inventory (workspace) or per template.
CREATE TABLE terraform_states (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id BIGINT NOT NULL,
    scope      VARCHAR(64) NOT NULL,
    task_id    BIGINT,
    created    DATETIME(3) NOT NULL,
    state      LONGTEXT NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX terraform_states_scope ON terraform_states (project_id, scope, id);

CREATE TABLE terraform_locks (
    project_id BIGINT NOT NULL,
    scope      VARCHAR(64) NOT NULL,
    lock_info  LONGTEXT NOT NULL,
    created    DATETIME(3) NOT NULL,
    PRIMARY KEY (project_id, scope),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
