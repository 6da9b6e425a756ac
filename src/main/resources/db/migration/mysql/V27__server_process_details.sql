-- What the admin's cluster view shows of each server process: its version (nodes of two versions
-- share the database during a rolling upgrade) and the address it serves on. Added columns only, so a
-- process of the version before keeps working beside this one.
ALTER TABLE server_processes ADD COLUMN version VARCHAR(64);
ALTER TABLE server_processes ADD COLUMN address VARCHAR(255);
