package dev.portcullis.storage;

/** A chunk does not start where the upload ends. */
public final class UploadOffsetException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final long currentSize;

    public UploadOffsetException(String message, long currentSize) {
        super(message);
        this.currentSize = currentSize;
    }

    /** Where the upload actually ends, so the client can resume from there. */
    public long currentSize() {
        return currentSize;
    }
}
