-- Terraform state kept by the server's HTTP backend, per inventory (workspace) or per template.
CREATE TABLE terraform_states (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    scope      VARCHAR(64) NOT NULL,
    task_id    BIGINT,
    created    TEXT NOT NULL,
    state      TEXT NOT NULL
);
CREATE INDEX terraform_states_scope ON terraform_states (project_id, scope, id);

CREATE TABLE terraform_locks (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    scope      VARCHAR(64) NOT NULL,
    lock_info  TEXT NOT NULL,
    created    TEXT NOT NULL,
    PRIMARY KEY (project_id, scope)
);
