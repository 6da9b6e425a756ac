-- Server processes sharing this database, each with a heartbeat; a task row names the one that runs it.
CREATE TABLE server_processes (
    id        VARCHAR(64) NOT NULL PRIMARY KEY,
    host      VARCHAR(255) NOT NULL,
    pid       BIGINT NOT NULL,
    started   DATETIME(3) NOT NULL,
    heartbeat DATETIME(3) NOT NULL
);
ALTER TABLE tasks ADD COLUMN owner VARCHAR(64);
