package dev.portcullis.vulndb.feed;

/** A feed source that cannot be read at all (not a single bad record, which is counted and reported). */
public final class FeedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FeedException(String message) {
        super(message);
    }

    public FeedException(String message, Throwable cause) {
        super(message, cause);
    }
}
