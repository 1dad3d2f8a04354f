package dev.portcullis.storage;

/** More bytes were sent than allowed. */
public final class SizeLimitException extends StorageException {
    private static final long serialVersionUID = 1L;

    public SizeLimitException(String message) {
        super(message);
    }
}
