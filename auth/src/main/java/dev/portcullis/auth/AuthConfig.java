package dev.portcullis.auth;

import dev.portcullis.auth.audit.AuditLog;
import java.time.Duration;

/**
 * Tunables of authentication, validated.
 *
 * @param service          the {@code service} of the token challenge and the tokens' audience
 * @param tokenLifetime    how long an access token is valid
 * @param refreshLifetime  how long a refresh token (docker's identity token) is valid unless revoked
 * @param keyRotation      how long one key signs before the next takes over
 * @param hasher           password hashing cost
 * @param accountThreshold failed logins per account before back-off starts
 * @param sourceThreshold  failed logins per client address before back-off starts
 * @param maxLockout       longest back-off, and how long failures are remembered
 * @param auditCheckpointEvery a signed audit checkpoint at least every this many entries
 */
public record AuthConfig(String service, Duration tokenLifetime, Duration refreshLifetime, Duration keyRotation,
                         PasswordHasher hasher, int accountThreshold, int sourceThreshold, Duration maxLockout,
                         int auditCheckpointEvery) {
    public static final AuthConfig DEFAULTS = new AuthConfig("portcullis", Duration.ofMinutes(5),
            Duration.ofDays(30), Duration.ofDays(1), PasswordHasher.OWASP, 5, 20, Duration.ofMinutes(15),
            AuditLog.CHECKPOINT_EVERY);

    public AuthConfig {
        if (service == null || !service.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new IllegalArgumentException("auth service name must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        if (tokenLifetime.compareTo(Duration.ofSeconds(30)) < 0 || tokenLifetime.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("token lifetime must be between 30s and 1h, got " + tokenLifetime);
        }
        if (keyRotation.compareTo(overlap(tokenLifetime).multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("key rotation must be at least twice the key overlap ("
                    + overlap(tokenLifetime) + ")");
        }
        if (refreshLifetime.isNegative() || refreshLifetime.isZero()) {
            throw new IllegalArgumentException("refresh token lifetime must be positive");
        }
        if (auditCheckpointEvery < 1) {
            throw new IllegalArgumentException("audit checkpoints must come at least every so many entries, not "
                    + auditCheckpointEvery);
        }
    }

    /** A retired key stays published this long: longer than any token it signed can live. */
    public Duration keyOverlap() {
        return overlap(tokenLifetime);
    }

    private static Duration overlap(Duration tokenLifetime) {
        return tokenLifetime.multipliedBy(2).plusMinutes(1);
    }

    public AuthConfig withTokenLifetime(Duration d) {
        return new AuthConfig(service, d, refreshLifetime, keyRotation, hasher, accountThreshold, sourceThreshold,
                maxLockout, auditCheckpointEvery);
    }

    public AuthConfig withHasher(PasswordHasher h) {
        return new AuthConfig(service, tokenLifetime, refreshLifetime, keyRotation, h, accountThreshold,
                sourceThreshold, maxLockout, auditCheckpointEvery);
    }

    public AuthConfig withAuditCheckpointEvery(int entries) {
        return new AuthConfig(service, tokenLifetime, refreshLifetime, keyRotation, hasher, accountThreshold,
                sourceThreshold, maxLockout, entries);
    }
}
