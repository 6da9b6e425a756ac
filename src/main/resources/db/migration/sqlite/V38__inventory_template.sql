-- The template a Terraform workspace inventory belongs to (upstream's template_id): a template's workspaces
-- are the inventories attached to it, one of them its default (the template's inventory_id).
ALTER TABLE inventories ADD COLUMN template_id BIGINT;
CREATE INDEX inventories_template ON inventories (template_id);
