package dev.portcullis.oci;

/** A string that should be a digest is not one. */
public class InvalidDigestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidDigestException(String message) {
        super(message);
    }
}
