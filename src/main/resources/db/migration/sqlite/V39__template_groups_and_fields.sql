-- Upstream 2.17+: several variable groups per template, in order (later ones override earlier ones);
-- templates.environment_id stays the first, as upstream still sends it.
CREATE TABLE template_environments (
    template_id    BIGINT  NOT NULL,
    ordinal        INTEGER NOT NULL,
    environment_id BIGINT  NOT NULL,
    PRIMARY KEY (template_id, ordinal)
);
CREATE INDEX template_environments_environment ON template_environments (environment_id);
INSERT INTO template_environments (template_id, ordinal, environment_id)
    SELECT id, 0, environment_id FROM templates WHERE environment_id IS NOT NULL;
-- The directory (inside the repository) Ansible runs in, and whether failures send no alert.
ALTER TABLE templates ADD COLUMN working_directory VARCHAR(1024);
ALTER TABLE templates ADD COLUMN suppress_error_alerts INTEGER NOT NULL DEFAULT 0;
