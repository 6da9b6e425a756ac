-- Which row of an upstream Semaphore database became which row here: `semaphore import` skips
-- what it brought over before, so a second run adds only what is new.
CREATE TABLE upstream_imports (
    source_table VARCHAR(64) NOT NULL,
    source_id    BIGINT NOT NULL,
    target_id    BIGINT NOT NULL,
    PRIMARY KEY (source_table, source_id)
);
