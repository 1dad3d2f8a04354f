package dev.portcullis.storage;

/** Uploaded content does not hash to the digest the client declared. */
public final class DigestMismatchException extends StorageException {
    private static final long serialVersionUID = 1L;

    public DigestMismatchException(String message) {
        super(message);
    }
}
