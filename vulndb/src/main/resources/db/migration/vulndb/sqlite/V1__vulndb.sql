-- Vulnerability data. An import runs in one transaction, so readers see the previous state until it commits.

-- one row per feed (osv:GHSA, alpine-secdb:v3.10/main, debian-tracker...): what it holds and when it was imported
CREATE TABLE vulndb_feed (
    name         TEXT PRIMARY KEY,
    format       TEXT NOT NULL,
    source       TEXT NOT NULL,
    records      BIGINT NOT NULL,
    last_import  TEXT NOT NULL
);

-- advisories in the normalised OSV shape, as JSON; hash detects changes so an unchanged record is not rewritten
CREATE TABLE vulndb_advisory (
    feed      TEXT NOT NULL,
    id        TEXT NOT NULL,
    hash      TEXT NOT NULL,
    document  TEXT NOT NULL,
    PRIMARY KEY (feed, id)
);

-- the package index: which advisories name which (ecosystem, package)
CREATE TABLE vulndb_affected (
    feed         TEXT NOT NULL,
    advisory_id  TEXT NOT NULL,
    ecosystem    TEXT NOT NULL,
    package      TEXT NOT NULL,
    PRIMARY KEY (feed, advisory_id, ecosystem, package)
);
CREATE INDEX vulndb_affected_package ON vulndb_affected (ecosystem, package);

-- download sources for `db update`: validators for conditional GET and the outcome of the last attempt
CREATE TABLE vulndb_source (
    location       TEXT PRIMARY KEY,
    etag           TEXT,
    last_modified  TEXT,
    last_attempt   TEXT,
    last_success   TEXT,
    last_error     TEXT
);
