-- The event outbox: one row per state change (a push, a verdict, a promotion, an exception, a feed update...),
-- written in the same transaction as the change itself, so no change is ever without its event and no event
-- names a change that was rolled back. Delivery (webhooks, mail, syslog, followers) reads from here and keeps its
-- own progress; the outbox itself is append-only. Times are epoch milliseconds; data is JSON text.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    type        TEXT    NOT NULL,
    team        TEXT    NOT NULL DEFAULT '',
    repository  TEXT,
    tag         TEXT,
    digest      TEXT,
    data        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX events_team ON events (team, id);
CREATE INDEX events_image ON events (repository, digest, id);
