ALTER TABLE tasks ADD COLUMN inventory_id BIGINT;
