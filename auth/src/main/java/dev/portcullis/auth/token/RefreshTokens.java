package dev.portcullis.auth.token;

import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Secrets;
import dev.portcullis.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Long-lived refresh tokens (OAuth2 {@code refresh_token} grant; docker stores one as its identity token). Only
 * their SHA-256 is stored; they stay valid until they expire or are revoked (logout, user disabled, password
 * changed). They are not rotated on use, because docker and podman keep reusing the one they were given.
 */
public final class RefreshTokens {
    private final Database db;
    private final Clock clock;
    private final Secrets secrets;
    private final Duration lifetime;

    public RefreshTokens(Database db, Clock clock, Secrets secrets, Duration lifetime) {
        this.db = db;
        this.clock = clock;
        this.secrets = secrets;
        this.lifetime = lifetime;
    }

    public String issue(String principal) {
        String token = secrets.generate("pct_");
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auth_refresh_token (hash, principal,"
                    + " issued_at, expires_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, Secrets.sha256(token));
                s.setString(2, principal);
                s.setString(3, now.toString());
                s.setString(4, now.plus(lifetime).toString());
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** The principal a valid refresh token was issued to. Lookup is by hash, so no comparison of secrets leaks. */
    public String redeem(String token) {
        String[] row = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT principal, expires_at, revoked_at FROM auth_refresh_token WHERE hash = ?")) {
                s.setString(1, Secrets.sha256(token));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : null;
                }
            }
        });
        if (row == null) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token is unknown");
        }
        if (row[2] != null) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token was revoked");
        }
        if (!Instant.parse(row[1]).isAfter(clock.instant())) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token has expired");
        }
        return row[0];
    }

    /** Revokes every refresh token of a principal; returns how many were live. */
    public int revokeAll(String principal) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE auth_refresh_token SET revoked_at = ?"
                    + " WHERE principal = ? AND revoked_at IS NULL")) {
                s.setString(1, clock.instant().toString());
                s.setString(2, principal);
                return s.executeUpdate();
            }
        });
    }
}
