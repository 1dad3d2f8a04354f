package dev.portcullis.cli;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.report.TableReport;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code scan --fail-on SEVERITY} counts, by kind, so its message names each kind rightly: vulnerabilities
 * of a known severity at or above the threshold, vulnerabilities whose advisory gives no severity (they count: fail
 * closed), packages that cannot be evaluated (they count too), and misconfigurations and secrets at or above the
 * threshold by their own severity (an AWS secret key is CRITICAL whatever the vulnerability database says).
 */
record FailOn(Severity.Level threshold, boolean ignoreUnfixed, long vulnerabilities, long unknownSeverity,
              long unevaluable, long misconfigurations, long secrets) {

    static FailOn count(List<ScanResult> results, ScanVulnerabilities found, Severity.Level threshold,
                        boolean ignoreUnfixed) {
        long vulnerabilities = 0;
        long unknown = 0;
        long unevaluable = 0;
        long misconfigurations = 0;
        long secrets = 0;
        for (ScanResult r : results) {
            for (Finding f : found.of(r)) {
                if (!ScanVulnerabilities.counts(f, threshold, ignoreUnfixed)) {
                    continue;
                }
                if (f.kind() == Finding.Kind.UNEVALUABLE) {
                    unevaluable++;
                } else if (f.severity().level() == Severity.Level.UNKNOWN) {
                    unknown++;
                } else {
                    vulnerabilities++;
                }
            }
            for (Misconfiguration m : r.misconfigurations()) {
                if (level(m.severity()).atLeast(threshold)) {
                    misconfigurations++;
                }
            }
            for (SecretFinding s : r.secrets()) {
                if (level(s.severity()).atLeast(threshold)) {
                    secrets++;
                }
            }
        }
        return new FailOn(threshold, ignoreUnfixed, vulnerabilities, unknown, unevaluable, misconfigurations,
                secrets);
    }

    /** The scanner's severities on the vulnerability scale; INFO is below LOW, as NONE is. */
    static Severity.Level level(dev.portcullis.scanner.analyzer.Severity s) {
        return switch (s) {
            case CRITICAL -> Severity.Level.CRITICAL;
            case HIGH -> Severity.Level.HIGH;
            case MEDIUM -> Severity.Level.MEDIUM;
            case LOW -> Severity.Level.LOW;
            case INFO -> Severity.Level.NONE;
        };
    }

    boolean fails() {
        return vulnerabilities + unknownSeverity + unevaluable + misconfigurations + secrets > 0;
    }

    /** "2 vulnerabilities at or above HIGH, 6 vulnerabilities of unknown severity, 1 secret at or above HIGH". */
    String describe() {
        String at = " at or above " + threshold.name();
        List<String> parts = new ArrayList<>();
        if (vulnerabilities > 0) {
            parts.add(TableReport.count(vulnerabilities, "vulnerability", "vulnerabilities") + at
                    + (ignoreUnfixed ? " with a fix" : ""));
        }
        if (unknownSeverity > 0) {
            parts.add(TableReport.count(unknownSeverity, "vulnerability", "vulnerabilities")
                    + " of unknown severity" + (ignoreUnfixed ? " with a fix" : ""));
        }
        if (unevaluable > 0) {
            parts.add(TableReport.count(unevaluable, "unevaluable package", "unevaluable packages"));
        }
        if (misconfigurations > 0) {
            parts.add(TableReport.count(misconfigurations, "misconfiguration", "misconfigurations") + at);
        }
        if (secrets > 0) {
            parts.add(TableReport.count(secrets, "secret", "secrets") + at);
        }
        List<String> closed = new ArrayList<>();
        if (unknownSeverity > 0) {
            closed.add("unknown severities");
        }
        if (unevaluable > 0) {
            closed.add("unevaluable packages");
        }
        return "--fail-on " + threshold.name().toLowerCase(Locale.ROOT) + ": " + String.join(", ", parts)
                + (closed.isEmpty() ? "" : " (" + String.join(" and ", closed) + " count: the check fails closed)");
    }
}
