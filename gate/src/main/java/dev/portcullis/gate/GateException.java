package dev.portcullis.gate;

/**
 * A request to the gate that cannot be done, with why in words for the caller; the API maps {@link #reason()} to its
 * status in one place.
 */
public final class GateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal it is. */
    public enum Reason {
        /** No such image, policy version or exception. */
        NOT_FOUND,
        /** The caller's roles do not allow it. */
        FORBIDDEN,
        /** The request itself is wrong (a version not newer than the current one, an expiry out of bounds...). */
        INVALID
    }

    private final Reason reason;

    public GateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
