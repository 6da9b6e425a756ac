-- Codes sent by e-mail, one per sign-in under way: the sign-in is the token in the browser's cookie
-- (its SHA-256), a session still owed the code or an e-mail sign-in; user_id is null for an address that
-- becomes a user only once its code is entered. The code is kept as a hash, with its tries and sends.
CREATE TABLE user_email_otp (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash    VARCHAR(64) NOT NULL UNIQUE,
    user_id       BIGINT REFERENCES users (id) ON DELETE CASCADE,
    email         VARCHAR(255) NOT NULL,
    code_hash     VARCHAR(64) NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    sends         INTEGER NOT NULL DEFAULT 1,
    sent          TEXT NOT NULL,
    created       TEXT NOT NULL
);
