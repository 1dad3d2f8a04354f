package dev.portcullis.scanner.analyzer;

/** Severity of a misconfiguration or secret, ordered from least to most severe. */
public enum Severity { INFO, LOW, MEDIUM, HIGH, CRITICAL }
