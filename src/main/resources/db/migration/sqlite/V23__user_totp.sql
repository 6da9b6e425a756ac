-- A user's time-based one-time password: its secret sealed like every stored secret, the recovery code
-- as a bcrypt hash, and the last time step a code was accepted for (a code is never accepted twice).
CREATE TABLE user_totp (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id       BIGINT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    secret        TEXT NOT NULL,
    recovery_hash VARCHAR(255) NOT NULL,
    last_step     BIGINT NOT NULL DEFAULT 0,
    created       TEXT NOT NULL
);
