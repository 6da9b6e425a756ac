CREATE TABLE users (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    created      DATETIME(3) NOT NULL,
    username     VARCHAR(255) NOT NULL,
    username_key VARCHAR(255) NOT NULL UNIQUE,
    name         VARCHAR(255) NOT NULL,
    email        VARCHAR(255) NOT NULL,
    email_key    VARCHAR(255) NOT NULL UNIQUE,
    password     VARCHAR(255) NOT NULL,
    admin        BOOLEAN NOT NULL DEFAULT FALSE,
    external     BOOLEAN NOT NULL DEFAULT FALSE,
    alert        BOOLEAN NOT NULL DEFAULT FALSE,
    pro          BOOLEAN NOT NULL DEFAULT FALSE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sessions (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash          CHAR(64) NOT NULL UNIQUE,
    user_id             BIGINT NOT NULL,
    created             DATETIME(3) NOT NULL,
    last_active         DATETIME(3) NOT NULL,
    ip                  VARCHAR(64) NOT NULL DEFAULT '',
    user_agent          VARCHAR(512) NOT NULL DEFAULT '',
    expired             BOOLEAN NOT NULL DEFAULT FALSE,
    verification_method INTEGER NOT NULL DEFAULT 0,
    verified            BOOLEAN NOT NULL DEFAULT TRUE,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash CHAR(64) PRIMARY KEY,
    prefix     VARCHAR(16) NOT NULL,
    user_id    BIGINT NOT NULL,
    name       VARCHAR(255) NOT NULL DEFAULT '',
    created    DATETIME(3) NOT NULL,
    expires_at DATETIME(3),
    expired    BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE projects (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    created            DATETIME(3) NOT NULL,
    name               VARCHAR(255) NOT NULL,
    alert              BOOLEAN NOT NULL DEFAULT FALSE,
    alert_chat         VARCHAR(255),
    max_parallel_tasks INTEGER NOT NULL DEFAULT 0,
    type               VARCHAR(64) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE project_users (
    project_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    role       VARCHAR(64) NOT NULL,
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX project_users_user ON project_users (user_id);

CREATE TABLE events (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    created     DATETIME(3) NOT NULL,
    user_id     BIGINT,
    project_id  BIGINT,
    object_id   BIGINT,
    object_type VARCHAR(64),
    object_name VARCHAR(255) NOT NULL DEFAULT '',
    description TEXT,
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX events_project ON events (project_id, id);
CREATE INDEX events_user ON events (user_id, id);

CREATE TABLE options (
    option_key   VARCHAR(255) PRIMARY KEY,
    option_value TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
