-- A project's own retention, over the server's (task_retention_days, max_tasks_per_template); 0: the server's.
ALTER TABLE projects ADD COLUMN task_retention_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN max_tasks_per_template INTEGER NOT NULL DEFAULT 0;
