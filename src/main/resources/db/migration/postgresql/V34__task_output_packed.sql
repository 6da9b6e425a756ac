-- A finished task's output, compacted: its lines regrouped into large chunks, each compressed with zstd
-- (the same "{epoch millis}<tab>{text}" lines joined by newlines). A running task writes task_output as
-- before; once it ends, its rows move here in short transactions, each chunk in or out as a whole.
-- A separate table so that a server of an earlier version (a rolling upgrade) never reads bytes it
-- cannot decode: it sees a compacted task without output instead.
CREATE TABLE task_output_packed (
    task_id    BIGINT NOT NULL,
    first_line INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    content    BYTEA NOT NULL,
    PRIMARY KEY (task_id, first_line),
    FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
);
