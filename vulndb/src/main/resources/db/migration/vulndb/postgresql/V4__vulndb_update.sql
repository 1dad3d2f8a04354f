-- The server's feed updates: one row, holding the lease that lets one node of a cluster update at a time and the
-- times of the last attempt and the last success, so that a restart does not download again what is still fresh.
CREATE TABLE vulndb_update (
    id           INTEGER PRIMARY KEY,
    lease_owner  TEXT,
    lease_until  BIGINT,
    last_attempt TEXT,
    last_success TEXT,
    last_error   TEXT
);
INSERT INTO vulndb_update (id) VALUES (1);
