-- Upstream 2.17+'s runners made before they run: one made with registered false has no token anyone knows
-- until it registers with a one-time registration token (kept as its SHA-256, valid until its expiry).
ALTER TABLE runners ADD COLUMN registered INTEGER NOT NULL DEFAULT 1;
ALTER TABLE runners ADD COLUMN registration_hash CHAR(64);
ALTER TABLE runners ADD COLUMN registration_expires TEXT;
CREATE UNIQUE INDEX runners_registration ON runners (registration_hash);
