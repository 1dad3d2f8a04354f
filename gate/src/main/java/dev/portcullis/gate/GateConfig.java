package dev.portcullis.gate;

import java.time.Duration;

/**
 * How the gate runs.
 *
 * @param workers scan jobs run at once on this node (each holds at most one image's layers in flight)
 * @param lease how long a taken job stays this node's without a renewal; a node that dies loses its jobs after it
 * @param maxAttempts attempts before a job that keeps failing ends in {@code error}
 * @param retryBackoff the wait before the first retry; it doubles with every further attempt (up to ten minutes)
 * @param poll how often idle workers look for jobs when no push woke them
 * @param expiryCheck how often expired exceptions and break-glass overrides are looked for
 * @param maxDatabaseAge the default organisation policy rejects verdicts made on a database older than this
 */
public record GateConfig(int workers, Duration lease, int maxAttempts, Duration retryBackoff, Duration poll,
                         Duration expiryCheck, Duration maxDatabaseAge) {
    public static final GateConfig DEFAULTS = new GateConfig(Runtime.getRuntime().availableProcessors(),
            Duration.ofMinutes(2), 5, Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(1),
            Duration.ofDays(7));

    public GateConfig {
        if (workers < 1) {
            throw new IllegalArgumentException("gate.workers must be at least 1, not " + workers);
        }
        positive(lease, "gate.lease");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gate.maxAttempts must be at least 1, not " + maxAttempts);
        }
        positive(retryBackoff, "gate.retryBackoff");
        positive(poll, "gate.poll");
        positive(expiryCheck, "gate.expiryCheck");
        positive(maxDatabaseAge, "gate.maxDatabaseAge");
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }

    public GateConfig withWorkers(int n) {
        return new GateConfig(n, lease, maxAttempts, retryBackoff, poll, expiryCheck, maxDatabaseAge);
    }

    public GateConfig withLease(Duration d) {
        return new GateConfig(workers, d, maxAttempts, retryBackoff, poll, expiryCheck, maxDatabaseAge);
    }

    public GateConfig withRetries(int attempts, Duration backoff) {
        return new GateConfig(workers, lease, attempts, backoff, poll, expiryCheck, maxDatabaseAge);
    }

    public GateConfig withPoll(Duration d) {
        return new GateConfig(workers, lease, maxAttempts, retryBackoff, d, expiryCheck, maxDatabaseAge);
    }

    public GateConfig withExpiryCheck(Duration d) {
        return new GateConfig(workers, lease, maxAttempts, retryBackoff, poll, d, maxDatabaseAge);
    }
}
