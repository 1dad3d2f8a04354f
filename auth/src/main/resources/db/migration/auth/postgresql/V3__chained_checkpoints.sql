-- Each checkpoint names the one before it and the entry interval in force, both signed, so that a deleted
-- checkpoint is detectable. Checkpoints written before this have every = 0 and signed neither.
ALTER TABLE audit_checkpoint ADD COLUMN previous_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_checkpoint ADD COLUMN every INTEGER NOT NULL DEFAULT 0;
