package dev.portcullis.storage;

/** The storage layer failed for a reason the caller cannot fix (I/O error, database unreachable). */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
