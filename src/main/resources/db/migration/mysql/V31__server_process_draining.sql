-- When a server process began to drain (stopped gracefully: it claims nothing more and lets what it
-- runs end). The cluster view shows it; a process of the version before ignores the column.
ALTER TABLE server_processes ADD COLUMN draining_since DATETIME(3);
-- The machine's load average (one minute) at the last heartbeat, for the cluster view.
ALTER TABLE server_processes ADD COLUMN system_load DOUBLE;
