CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created      TEXT NOT NULL,
    username     VARCHAR(255) NOT NULL,
    username_key VARCHAR(255) NOT NULL UNIQUE,
    name         VARCHAR(255) NOT NULL,
    email        VARCHAR(255) NOT NULL,
    email_key    VARCHAR(255) NOT NULL UNIQUE,
    password     VARCHAR(255) NOT NULL,
    admin        INTEGER NOT NULL DEFAULT 0,
    external     INTEGER NOT NULL DEFAULT 0,
    alert        INTEGER NOT NULL DEFAULT 0,
    pro          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash          CHAR(64) NOT NULL UNIQUE,
    user_id             BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created             TEXT NOT NULL,
    last_active         TEXT NOT NULL,
    ip                  VARCHAR(64) NOT NULL DEFAULT '',
    user_agent          VARCHAR(512) NOT NULL DEFAULT '',
    expired             INTEGER NOT NULL DEFAULT 0,
    verification_method INTEGER NOT NULL DEFAULT 0,
    verified            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash CHAR(64) PRIMARY KEY,
    prefix     VARCHAR(16) NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       VARCHAR(255) NOT NULL DEFAULT '',
    created    TEXT NOT NULL,
    expires_at TEXT,
    expired    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE projects (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    created            TEXT NOT NULL,
    name               VARCHAR(255) NOT NULL,
    alert              INTEGER NOT NULL DEFAULT 0,
    alert_chat         VARCHAR(255),
    max_parallel_tasks INTEGER NOT NULL DEFAULT 0,
    type               VARCHAR(64) NOT NULL DEFAULT ''
);

CREATE TABLE project_users (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       VARCHAR(64) NOT NULL,
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_users_user ON project_users (user_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created     TEXT NOT NULL,
    user_id     BIGINT,
    project_id  BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    object_id   BIGINT,
    object_type VARCHAR(64),
    object_name VARCHAR(255) NOT NULL DEFAULT '',
    description TEXT
);
CREATE INDEX events_project ON events (project_id, id);
CREATE INDEX events_user ON events (user_id, id);

CREATE TABLE options (
    option_key   VARCHAR(255) PRIMARY KEY,
    option_value TEXT NOT NULL
);
