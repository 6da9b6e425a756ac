-- Changes other server processes must hear of at once (who a credential belongs to, who sees which
-- project): a counter per kind, raised by the process that made the change and polled by the others,
-- which then drop what they cached.
CREATE TABLE cluster_signals (
    name    VARCHAR(64) NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO cluster_signals (name, version) VALUES ('credentials', 0);
INSERT INTO cluster_signals (name, version) VALUES ('projects', 0);
