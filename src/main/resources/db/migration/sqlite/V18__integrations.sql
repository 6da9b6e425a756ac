-- Incoming webhooks: an integration queues a task of its template when a delivery to one of its
-- aliases authenticates and matches; every delivery is recorded per integration for debugging.
CREATE TABLE integrations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name           VARCHAR(255) NOT NULL,
    template_id    BIGINT NOT NULL,
    auth_method    VARCHAR(16) NOT NULL DEFAULT '',
    auth_secret_id BIGINT,
    auth_header    VARCHAR(255) NOT NULL DEFAULT '',
    searchable     INTEGER NOT NULL DEFAULT 0,
    task_params    TEXT NOT NULL,
    created        TEXT NOT NULL
);
CREATE INDEX integrations_project ON integrations (project_id);
CREATE TABLE integration_matchers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id BIGINT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    name           VARCHAR(255) NOT NULL DEFAULT '',
    match_type     VARCHAR(16) NOT NULL,
    method         VARCHAR(16) NOT NULL,
    body_data_type VARCHAR(16) NOT NULL DEFAULT '',
    match_key      VARCHAR(1024) NOT NULL DEFAULT '',
    match_value    TEXT NOT NULL
);
CREATE INDEX integration_matchers_integration ON integration_matchers (integration_id);
CREATE TABLE integration_extract_values (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    integration_id BIGINT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    name           VARCHAR(255) NOT NULL DEFAULT '',
    value_source   VARCHAR(16) NOT NULL,
    body_data_type VARCHAR(16) NOT NULL DEFAULT '',
    value_key      VARCHAR(1024) NOT NULL DEFAULT '',
    variable       VARCHAR(255) NOT NULL,
    variable_type  VARCHAR(16) NOT NULL DEFAULT ''
);
CREATE INDEX integration_extract_values_integration ON integration_extract_values (integration_id);
CREATE TABLE integration_aliases (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    integration_id BIGINT REFERENCES integrations (id) ON DELETE CASCADE,
    alias          VARCHAR(64) NOT NULL UNIQUE
);
CREATE TABLE integration_deliveries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id     BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    integration_id BIGINT REFERENCES integrations (id) ON DELETE CASCADE,
    alias          VARCHAR(64) NOT NULL,
    received       TEXT NOT NULL,
    method         VARCHAR(8) NOT NULL,
    outcome        VARCHAR(1024) NOT NULL,
    task_id        BIGINT,
    body           TEXT
);
CREATE INDEX integration_deliveries_integration ON integration_deliveries (integration_id, id);
CREATE INDEX integration_deliveries_received ON integration_deliveries (received);
