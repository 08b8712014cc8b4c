-- /readyz writes one row here on each probe: a database that cannot be
-- written (disk full, read-only, unreachable) answers 503 before a login does.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY NOT NULL,
    checked_at TIMESTAMP NOT NULL
);
INSERT INTO readiness_probe (id, checked_at) VALUES (1, CURRENT_TIMESTAMP);
