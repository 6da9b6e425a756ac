-- Websocket messages (task status and log lines) published by one server process, for the others to
-- send to the browsers connected to them. Kept a minute; each process reads another's rows in id order.
CREATE TABLE live_events (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    origin     VARCHAR(64) NOT NULL,
    project_id BIGINT NOT NULL,
    messages   LONGTEXT NOT NULL,
    created    DATETIME(3) NOT NULL,
    INDEX live_events_created (created)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
