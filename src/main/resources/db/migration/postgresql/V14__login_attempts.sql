-- Failed password logins, per login and per client address, for throttling across server processes.
CREATE TABLE login_attempts (
    subject      VARCHAR(320) NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_failure TIMESTAMP(3) NOT NULL,
    locked_until TIMESTAMP(3)
);
