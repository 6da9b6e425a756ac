-- The row a dispatcher locks while it checks the limits and claims a task, so that several server
-- processes claiming at once cannot together pass max_parallel_tasks or a project's or template's limit.
INSERT INTO cluster_signals (name, version) VALUES ('dispatch', 0);
