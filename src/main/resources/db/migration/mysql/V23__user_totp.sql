-- A user's time-based one-time password: its secret sealed like every stored secret, the recovery code
-- as a bcrypt hash, and the last time step a code was accepted for (a code is never accepted twice).
CREATE TABLE user_totp (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id       BIGINT NOT NULL UNIQUE,
    secret        TEXT NOT NULL,
    recovery_hash VARCHAR(255) NOT NULL,
    last_step     BIGINT NOT NULL DEFAULT 0,
    created       DATETIME(3) NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
