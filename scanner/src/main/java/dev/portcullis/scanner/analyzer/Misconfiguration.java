package dev.portcullis.scanner.analyzer;

/**
 * A misconfiguration with a stable id (e.g. {@code runs-as-root}) and the CIS Docker Benchmark reference where
 * one applies (e.g. {@code 4.1}); {@code where} points into the config or to a layer path.
 */
public record Misconfiguration(String id, Severity severity, String title, String where, String detail,
                               String cisReference) {
}
