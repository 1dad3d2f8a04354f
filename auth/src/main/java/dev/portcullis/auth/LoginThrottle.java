package dev.portcullis.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code accountThreshold} failures for one account, or
 * {@code sourceThreshold} failures from one address, further attempts are refused for a back-off that doubles with
 * each failure up to {@code maxLockout}. Failures are forgotten after {@code maxLockout} without one. A success
 * clears the account's count. Kept in memory per node: a restart forgives, which the back-off makes harmless.
 */
public final class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;

    private final Clock clock;
    private final int accountThreshold;
    private final int sourceThreshold;
    private final Duration maxLockout;
    private final Map<String, State> accounts = new ConcurrentHashMap<>();
    private final Map<String, State> sources = new ConcurrentHashMap<>();

    private record State(int failures, Instant lastFailure, Instant lockedUntil) {
    }

    public LoginThrottle(Clock clock, int accountThreshold, int sourceThreshold, Duration maxLockout) {
        if (accountThreshold < 1 || sourceThreshold < 1) {
            throw new IllegalArgumentException("lockout thresholds must be positive");
        }
        this.clock = clock;
        this.accountThreshold = accountThreshold;
        this.sourceThreshold = sourceThreshold;
        this.maxLockout = maxLockout;
    }

    /** Throws {@link AuthException.Reason#LOCKED} while the account or the address is locked out. */
    public void check(String account, String source) {
        Instant now = clock.instant();
        Optional<Duration> wait = lockedFor(accounts.get(account), now);
        if (wait.isEmpty()) {
            wait = lockedFor(sources.get(source), now);
        }
        if (wait.isPresent()) {
            throw new AuthException(AuthException.Reason.LOCKED, "too many failed logins; try again in "
                    + Math.max(1, wait.get().toSeconds()) + "s", wait);
        }
    }

    public void failure(String account, String source) {
        Instant now = clock.instant();
        if (accounts.size() + sources.size() > MAX_TRACKED) {
            forgetStale(now);
        }
        accounts.compute(account, (k, s) -> next(s, now, accountThreshold));
        sources.compute(source, (k, s) -> next(s, now, sourceThreshold));
    }

    public void success(String account) {
        accounts.remove(account);
    }

    private Optional<Duration> lockedFor(State s, Instant now) {
        if (s == null || !s.lockedUntil().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, s.lockedUntil()));
    }

    private State next(State s, Instant now, int threshold) {
        int failures = s == null || s.lastFailure().plus(maxLockout).isBefore(now) ? 1 : s.failures() + 1;
        Instant lockedUntil = now;
        if (failures >= threshold) {
            int doublings = Math.min(failures - threshold, 20);
            Duration backoff = Duration.ofSeconds(1L << doublings);
            lockedUntil = now.plus(backoff.compareTo(maxLockout) > 0 ? maxLockout : backoff);
        }
        return new State(failures, now, lockedUntil);
    }

    private void forgetStale(Instant now) {
        accounts.values().removeIf(s -> s.lastFailure().plus(maxLockout).isBefore(now));
        sources.values().removeIf(s -> s.lastFailure().plus(maxLockout).isBefore(now));
        if (accounts.size() + sources.size() > MAX_TRACKED) {
            // Under a flood of distinct names, unlocked entries go first; locks stay in force.
            accounts.values().removeIf(s -> !s.lockedUntil().isAfter(now));
            sources.values().removeIf(s -> !s.lockedUntil().isAfter(now));
        }
    }
}
