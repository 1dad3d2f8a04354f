-- The gate's outbox: one row per manifest stored in unscanned/, written in the same transaction as the manifest, so
-- a crash between the push and its scan cannot lose the scan. The gate takes rows with a lease (lease_owner,
-- lease_until); a row whose lease ran out is taken again by any node. Times are epoch milliseconds.
CREATE TABLE scan_jobs (
    id          INTEGER PRIMARY KEY,
    repository  TEXT    NOT NULL,
    digest      TEXT    NOT NULL,
    tag         TEXT,
    state       TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'error')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until INTEGER,
    not_before  INTEGER NOT NULL,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX scan_jobs_ready ON scan_jobs (state, not_before);
CREATE INDEX scan_jobs_image ON scan_jobs (repository, digest);
