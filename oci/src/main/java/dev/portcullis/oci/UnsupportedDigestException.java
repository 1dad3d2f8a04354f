package dev.portcullis.oci;

/** A well-formed digest whose algorithm is neither sha256 nor sha512. */
public final class UnsupportedDigestException extends InvalidDigestException {
    private static final long serialVersionUID = 1L;

    public UnsupportedDigestException(String message) {
        super(message);
    }
}
