package dev.portcullis.storage;

/** No upload session with this id exists. */
public final class UploadNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    public UploadNotFoundException(String message) {
        super(message);
    }
}
