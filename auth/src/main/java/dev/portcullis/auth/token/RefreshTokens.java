package dev.portcullis.auth.token;

import dev.portcullis.auth.AuthException;
import dev.portcullis.auth.Principal;
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
 * changed, robot deleted). Each is bound to the stored identity it was issued to, its id and generation, so it
 * redeems for nobody else: not for a later user or robot of the same name, not after its password changed. They are
 * not rotated on use, because docker and podman keep reusing the one they were given.
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

    /** The name and stored identity a refresh token was issued to. */
    public record Holder(String name, Principal.Identity identity) {
    }

    /** A new refresh token for a user or robot as it was authenticated (its identity at that moment). */
    public String issue(Principal principal) {
        Principal.Identity identity = principal.identity().orElseThrow(() -> new IllegalArgumentException(
                "refresh tokens are issued to stored users and robots only, not to " + principal.name()));
        String token = secrets.generate("pct_");
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO auth_refresh_token (hash, principal,"
                    + " issued_at, expires_at, subject_id, generation) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, Secrets.sha256(token));
                s.setString(2, principal.name());
                s.setString(3, now.toString());
                s.setString(4, now.plus(lifetime).toString());
                s.setString(5, identity.id());
                s.setLong(6, identity.generation());
                s.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /**
     * Whom a valid refresh token was issued to; the caller checks that this identity still holds the name. Lookup is
     * by hash, so no comparison of secrets leaks.
     */
    public Holder redeem(String token) {
        record Row(String principal, String expiresAt, String revokedAt, String subjectId, long generation) {
        }
        Row row = db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT principal, expires_at, revoked_at, subject_id,"
                    + " generation FROM auth_refresh_token WHERE hash = ?")) {
                s.setString(1, Secrets.sha256(token));
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)) : null;
                }
            }
        });
        if (row == null) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token is unknown");
        }
        if (row.revokedAt() != null || row.subjectId().isEmpty()) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token was revoked");
        }
        if (!Instant.parse(row.expiresAt()).isAfter(clock.instant())) {
            throw new AuthException(AuthException.Reason.UNAUTHORIZED, "refresh token has expired");
        }
        return new Holder(row.principal(), new Principal.Identity(row.subjectId(), row.generation()));
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
