CREATE TABLE inventories (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id    BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          VARCHAR(255) NOT NULL,
    type          VARCHAR(32) NOT NULL,
    inventory     TEXT NOT NULL,
    ssh_key_id    BIGINT,
    become_key_id BIGINT,
    repository_id BIGINT,
    created       TEXT NOT NULL
);
CREATE INDEX inventories_project ON inventories (project_id, name);
