package dev.portcullis.policy;

import dev.portcullis.policy.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The organisation's limits on the exceptions that may be granted: whether a team's maintainers may grant them for
 * their own team, and the longest time from grant to expiry per severity of the accepted advisory. Only the
 * organisation's document carries these ({@code exceptions:}); severities it does not list keep the defaults.
 *
 * @param maxExpiry the longest allowed {@code expiresAt - now} per severity; always has every severity
 */
public record ExceptionBounds(boolean maintainersMayGrant, Map<Severity, Duration> maxExpiry) {
    /** Used for every severity the organisation does not bound itself. */
    public static final Map<Severity, Duration> DEFAULT_MAX_EXPIRY = Map.of(
            Severity.CRITICAL, Duration.ofDays(30),
            Severity.HIGH, Duration.ofDays(90),
            Severity.MEDIUM, Duration.ofDays(180),
            Severity.LOW, Duration.ofDays(365),
            Severity.UNKNOWN, Duration.ofDays(90));

    public ExceptionBounds {
        EnumMap<Severity, Duration> complete = new EnumMap<>(DEFAULT_MAX_EXPIRY);
        maxExpiry.forEach((severity, d) -> {
            Objects.requireNonNull(severity, "severity");
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("the longest expiry for " + severity + " must be positive");
            }
            complete.put(severity, d);
        });
        maxExpiry = Map.copyOf(complete);
    }

    /** The bounds when the organisation's document says nothing: only the security role grants; default expiries. */
    public static ExceptionBounds defaults() {
        return new ExceptionBounds(false, Map.of());
    }

    /**
     * Whether {@code grant} may be granted now by this grantor.
     *
     * @param grantorIsSecurityRole the grantor holds the security role (may grant any scope)
     * @param grantorTeam the team whose maintainer the grantor is, or null when the grantor maintains no team
     * @param severity the severity of the advisory being accepted (the highest, when it matches several findings)
     * @return empty when allowed, else why not in words for the grantor
     */
    public Optional<String> check(ExceptionGrant grant, boolean grantorIsSecurityRole, String grantorTeam,
                                  Severity severity, Instant now) {
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(now, "now");
        if (!grantorIsSecurityRole) {
            if (grantorTeam == null) {
                return Optional.of("only the security role or a team maintainer may grant exceptions");
            }
            if (!maintainersMayGrant) {
                return Optional.of("the organisation's policy does not let team maintainers grant exceptions"
                        + " (exceptions.maintainersMayGrant is false): ask the security role");
            }
            if (!(grant.scope() instanceof ExceptionGrant.Scope.Team(String team)) || !team.equals(grantorTeam)) {
                return Optional.of("a maintainer of team " + grantorTeam + " may grant exceptions only with scope"
                        + " team " + grantorTeam + ", not " + grant.scope().describe());
            }
        }
        if (!grant.expiresAt().isAfter(now)) {
            return Optional.of("the exception's expiry " + grant.expiresAt() + " is not in the future");
        }
        Duration longest = maxExpiry.get(severity);
        if (Duration.between(now, grant.expiresAt()).compareTo(longest) > 0) {
            return Optional.of("an exception for a " + severity + " advisory may last at most "
                    + Durations.format(longest) + " (until " + now.plus(longest) + "); " + grant.expiresAt()
                    + " is later");
        }
        return Optional.empty();
    }
}
