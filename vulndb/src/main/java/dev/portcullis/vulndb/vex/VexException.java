package dev.portcullis.vulndb.vex;

/** A VEX document that cannot be read; it is refused whole rather than applied in part. */
public final class VexException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public VexException(String message) {
        super(message);
    }
}
