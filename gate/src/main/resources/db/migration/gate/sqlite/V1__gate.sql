-- The gate's state. Times are epoch milliseconds; digests are "algorithm:hex" text; JSON is text.

-- One row per image digest in an unscanned/ repository once a worker took it up: its state, and once judged the
-- policy input (subject) and the verdict, with what the verdict was made with. An index has no subject; its
-- verdict lists its platforms' verdicts.
CREATE TABLE gate_images (
    repository      TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('image', 'index')),
    state           TEXT    NOT NULL CHECK (state IN ('scanning', 'promoted', 'rejected', 'error')),
    team            TEXT    NOT NULL,
    platform        TEXT,
    subject         TEXT,
    verdict         TEXT,
    children        TEXT,
    policy_versions TEXT,
    db_snapshot     TEXT,
    scanner         TEXT,
    error           TEXT,
    judged_at       INTEGER,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (repository, digest)
);
CREATE INDEX gate_images_state ON gate_images (team, state);

-- Every version of every policy document: the organisation's ('organisation') and each team's ('team:<name>').
CREATE TABLE gate_policies (
    owner            TEXT    NOT NULL,
    version          INTEGER NOT NULL,
    document         TEXT    NOT NULL,
    author           TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    previous_version INTEGER,
    PRIMARY KEY (owner, version)
);

-- Accepted vulnerabilities. expiry_seen is set once the gate has re-judged the images after the expiry.
CREATE TABLE gate_exceptions (
    id          TEXT    PRIMARY KEY,
    grant_json  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    expiry_seen INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE gate_break_glass (
    id          INTEGER PRIMARY KEY,
    digest      TEXT    NOT NULL,
    grant_json  TEXT    NOT NULL,
    until_at    INTEGER NOT NULL,
    expiry_seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX gate_break_glass_digest ON gate_break_glass (digest);
