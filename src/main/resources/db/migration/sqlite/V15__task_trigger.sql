-- Which schedule or integration queued a task (user_id and build_task_id say the rest).
ALTER TABLE tasks ADD COLUMN schedule_id BIGINT;
ALTER TABLE tasks ADD COLUMN integration_id BIGINT;
