-- A refresh token is bound to the identity it was issued to: that identity's id (a later user or robot of the same
-- name gets another) and its generation (raised when its password changes or it is disabled).
ALTER TABLE auth_user ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_user ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
UPDATE auth_user SET id = 'u-' || lower(hex(randomblob(16)));
CREATE UNIQUE INDEX auth_user_id ON auth_user (id);

ALTER TABLE auth_robot ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_robot ADD COLUMN generation INTEGER NOT NULL DEFAULT 1;
UPDATE auth_robot SET id = 'r-' || lower(hex(randomblob(16)));
CREATE UNIQUE INDEX auth_robot_id ON auth_robot (id);

ALTER TABLE auth_refresh_token ADD COLUMN subject_id TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_refresh_token ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
-- Existing tokens go to the current holder of their name only if it existed when the token was issued; a token
-- older than its name's holder belonged to a deleted predecessor, and is revoked like one whose holder is gone.
UPDATE auth_refresh_token SET generation = 1, subject_id = COALESCE(
    (SELECT u.id FROM auth_user u WHERE u.name = auth_refresh_token.principal
        AND u.created_at <= auth_refresh_token.issued_at),
    (SELECT r.id FROM auth_robot r WHERE r.name = auth_refresh_token.principal
        AND r.created_at <= auth_refresh_token.issued_at),
    '');
UPDATE auth_refresh_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE subject_id = '' AND revoked_at IS NULL;
