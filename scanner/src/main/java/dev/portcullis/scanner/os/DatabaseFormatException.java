package dev.portcullis.scanner.os;

/** A package database or release file is malformed or exceeds a limit; reported as unreadable. */
public final class DatabaseFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatabaseFormatException(String message) {
        super(message);
    }

    public DatabaseFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
