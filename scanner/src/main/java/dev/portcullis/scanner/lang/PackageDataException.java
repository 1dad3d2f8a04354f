package dev.portcullis.scanner.lang;

/**
 * A package database, lockfile, manifest or archive that cannot be read: malformed, truncated, or over one of
 * the parser's limits. Analyzers turn it into an {@code unreadable} entry of the scan result.
 */
public class PackageDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PackageDataException(String message) {
        super(message);
    }

    public PackageDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
