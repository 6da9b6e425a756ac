-- How far each export of the activity log (the events file, the audit webhook) has got: the last event id
-- it delivered. One row per export, locked while a batch is delivered, so with several server processes
-- each event goes out once, and after a restart or a failed delivery the export goes on from there.
CREATE TABLE event_exports (
    name    VARCHAR(32) NOT NULL PRIMARY KEY,
    last_id BIGINT NOT NULL
);
