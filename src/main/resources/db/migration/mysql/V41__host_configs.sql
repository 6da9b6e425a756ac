-- Upstream 2.19's credential mappings: the key git (and ansible-galaxy, submodules) uses for an SSH host
-- (type host) or for the URLs under a prefix (type url).
CREATE TABLE host_configs (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id  BIGINT        NOT NULL,
    type        VARCHAR(16)   NOT NULL,
    host        VARCHAR(1024) NOT NULL,
    ssh_key_id  BIGINT        NOT NULL,
    created     DATETIME(3) NOT NULL
);
CREATE INDEX host_configs_project ON host_configs (project_id);
