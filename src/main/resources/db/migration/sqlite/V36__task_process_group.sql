-- Where a task's processes are, beyond its launcher: its cgroup or its process groups, so that a
-- server started after one that died can end every process the task left.
ALTER TABLE tasks ADD COLUMN process_group VARCHAR(1024);
