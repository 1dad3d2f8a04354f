package dev.portcullis.policy.model;

/**
 * The one severity scale policies speak, lowest first. In CEL a severity is an {@code int} (its ordinal) and the
 * constants {@code UNKNOWN}, {@code LOW}, {@code MEDIUM}, {@code HIGH} and {@code CRITICAL} are bound to these
 * ordinals, so {@code finding.severity >= HIGH} compares as written. {@code UNKNOWN} ranks lowest: a policy that
 * wants to treat unscored advisories harshly says so with {@code finding.severity == UNKNOWN}.
 */
public enum Severity {
    UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL
}
