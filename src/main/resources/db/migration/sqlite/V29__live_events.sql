-- Websocket messages (task status and log lines) published by one server process, for the others to
-- send to the browsers connected to them. Kept a minute; each process reads another's rows in id order.
CREATE TABLE live_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    origin     VARCHAR(64) NOT NULL,
    project_id BIGINT NOT NULL,
    messages   TEXT NOT NULL,
    created    TEXT NOT NULL
);
CREATE INDEX live_events_created ON live_events (created);
