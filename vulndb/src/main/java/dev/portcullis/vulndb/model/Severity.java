package dev.portcullis.vulndb.model;

import java.util.List;
import java.util.Locale;

/**
 * How severe an advisory is: CVSS vectors with their base scores, and the source's own rating (GHSA's
 * {@code HIGH}, Debian's urgency {@code unimportant}...), which may be empty.
 */
public record Severity(List<Cvss> cvss, String rating) {
    public static final Severity NONE = new Severity(List.of(), "");

    public Severity {
        cvss = List.copyOf(cvss);
        rating = rating == null ? "" : rating;
    }

    /**
     * The level used by policy and {@code --fail-on}: from the highest CVSS base score, else from the rating,
     * else {@link Level#UNKNOWN} (which policy treats as severe: unknown is not harmless).
     */
    public Level level() {
        double best = cvss.stream().mapToDouble(Cvss::baseScore).filter(s -> !Double.isNaN(s)).max().orElse(Double.NaN);
        if (!Double.isNaN(best)) {
            return Level.ofScore(best);
        }
        return switch (rating.toLowerCase(Locale.ROOT)) {
            case "critical" -> Level.CRITICAL;
            case "high" -> Level.HIGH;
            case "moderate", "medium" -> Level.MEDIUM;
            case "low", "unimportant", "negligible" -> Level.LOW;
            default -> Level.UNKNOWN;
        };
    }

    /** A CVSS vector ({@code CVSS:3.1/...} or {@code CVSS:4.0/...}) and its base score, NaN if not computable. */
    public record Cvss(String version, String vector, double baseScore) {
    }

    /** Severity levels in increasing order. */
    public enum Level {
        NONE, LOW, MEDIUM, HIGH, CRITICAL, UNKNOWN;

        static Level ofScore(double score) {
            if (score >= 9.0) {
                return CRITICAL;
            }
            if (score >= 7.0) {
                return HIGH;
            }
            if (score >= 4.0) {
                return MEDIUM;
            }
            return score > 0 ? LOW : NONE;
        }

        /** Whether this level is at least {@code threshold}; UNKNOWN counts as at least anything (fail closed). */
        public boolean atLeast(Level threshold) {
            return this == UNKNOWN || ordinal() >= threshold.ordinal();
        }
    }
}
