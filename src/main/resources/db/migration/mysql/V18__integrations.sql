-- Incoming webhooks: an integration queues a task of its template when a delivery to one of its
-- aliases authenticates and matches; every delivery is recorded per integration for debugging.
CREATE TABLE integrations (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id     BIGINT NOT NULL,
    name           VARCHAR(255) NOT NULL,
    template_id    BIGINT NOT NULL,
    auth_method    VARCHAR(16) NOT NULL DEFAULT '',
    auth_secret_id BIGINT,
    auth_header    VARCHAR(255) NOT NULL DEFAULT '',
    searchable     BOOLEAN NOT NULL DEFAULT FALSE,
    task_params    TEXT NOT NULL,
    created        DATETIME(3) NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
);
CREATE INDEX integrations_project ON integrations (project_id);
CREATE TABLE integration_matchers (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    integration_id BIGINT NOT NULL,
    name           VARCHAR(255) NOT NULL DEFAULT '',
    match_type     VARCHAR(16) NOT NULL,
    method         VARCHAR(16) NOT NULL,
    body_data_type VARCHAR(16) NOT NULL DEFAULT '',
    match_key      VARCHAR(1024) NOT NULL DEFAULT '',
    match_value    TEXT NOT NULL,
    FOREIGN KEY (integration_id) REFERENCES integrations (id) ON DELETE CASCADE
);
CREATE INDEX integration_matchers_integration ON integration_matchers (integration_id);
CREATE TABLE integration_extract_values (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    integration_id BIGINT NOT NULL,
    name           VARCHAR(255) NOT NULL DEFAULT '',
    value_source   VARCHAR(16) NOT NULL,
    body_data_type VARCHAR(16) NOT NULL DEFAULT '',
    value_key      VARCHAR(1024) NOT NULL DEFAULT '',
    variable       VARCHAR(255) NOT NULL,
    variable_type  VARCHAR(16) NOT NULL DEFAULT '',
    FOREIGN KEY (integration_id) REFERENCES integrations (id) ON DELETE CASCADE
);
CREATE INDEX integration_extract_values_integration ON integration_extract_values (integration_id);
CREATE TABLE integration_aliases (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id     BIGINT NOT NULL,
    integration_id BIGINT,
    alias          VARCHAR(64) NOT NULL UNIQUE,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    FOREIGN KEY (integration_id) REFERENCES integrations (id) ON DELETE CASCADE
);
CREATE TABLE integration_deliveries (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    project_id     BIGINT NOT NULL,
    integration_id BIGINT,
    alias          VARCHAR(64) NOT NULL,
    received       DATETIME(3) NOT NULL,
    method         VARCHAR(8) NOT NULL,
    outcome        VARCHAR(1024) NOT NULL,
    task_id        BIGINT,
    body           TEXT,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    FOREIGN KEY (integration_id) REFERENCES integrations (id) ON DELETE CASCADE
);
CREATE INDEX integration_deliveries_integration ON integration_deliveries (integration_id, id);
CREATE INDEX integration_deliveries_received ON integration_deliveries (received);
