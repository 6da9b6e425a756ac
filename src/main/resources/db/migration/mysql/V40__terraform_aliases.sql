-- Upstream's Terraform HTTP backend for people's own terraform: an alias URL of a workspace inventory's
-- state, opened with HTTP Basic against the alias' login/password key (none set: nothing is opened).
CREATE TABLE terraform_aliases (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id   BIGINT      NOT NULL,
    inventory_id BIGINT      NOT NULL,
    alias        VARCHAR(64) NOT NULL UNIQUE,
    auth_key_id  BIGINT,
    created      DATETIME(3) NOT NULL
);
CREATE INDEX terraform_aliases_inventory ON terraform_aliases (inventory_id);
