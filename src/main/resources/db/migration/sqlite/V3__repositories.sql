CREATE TABLE repositories (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL,
    git_url    VARCHAR(2048) NOT NULL,
    git_branch VARCHAR(255) NOT NULL DEFAULT '',
    ssh_key_id BIGINT NOT NULL,
    created    TEXT NOT NULL
);
CREATE INDEX repositories_project ON repositories (project_id, name);
CREATE INDEX repositories_key ON repositories (ssh_key_id);
