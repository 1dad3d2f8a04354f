package dev.portcullis.storage;

/** No blob with this digest is stored. */
public final class BlobNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    public BlobNotFoundException(String message) {
        super(message);
    }
}
