-- A value sealed with the key of the first server process that ran on this database: a process whose
-- access_key_encryption cannot open it (another machine's generated key, a typo) refuses to start
-- instead of sealing new secrets with a key the others do not have. Re-sealed by `semaphore vault rekey`.
CREATE TABLE vault_key_check (
    id     INTEGER NOT NULL PRIMARY KEY,
    sealed TEXT NOT NULL
);
