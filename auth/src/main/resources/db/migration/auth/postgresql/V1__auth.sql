-- Identities, tokens and the audit log. Times are ISO-8601 UTC text so that SQLite and PostgreSQL compare alike.
CREATE TABLE auth_team (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE auth_user (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

-- One row per role a user holds; team is '' for the global roles (admin, security, auditor).
CREATE TABLE auth_grant (
    principal TEXT NOT NULL REFERENCES auth_user (name) ON DELETE CASCADE,
    team      TEXT NOT NULL,
    role      TEXT NOT NULL,
    PRIMARY KEY (principal, team, role)
);

CREATE TABLE auth_robot (
    name         TEXT PRIMARY KEY,
    team         TEXT NOT NULL REFERENCES auth_team (name),
    role         TEXT NOT NULL,
    repositories TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    disabled     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE auth_refresh_token (
    hash       TEXT PRIMARY KEY,
    principal  TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX auth_refresh_token_principal ON auth_refresh_token (principal);

CREATE TABLE auth_signing_key (
    kid        TEXT PRIMARY KEY,
    jwk        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT
);

CREATE TABLE auth_setting (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_entry (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    source     TEXT NOT NULL,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL,
    team       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    request_id TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at);

CREATE TABLE audit_checkpoint (
    seq        BIGINT PRIMARY KEY,
    entry_hash TEXT NOT NULL,
    at         TEXT NOT NULL,
    kid        TEXT NOT NULL,
    signature  TEXT NOT NULL
);
