package dev.portcullis.vulndb.version;

/** A version string that its scheme cannot order; the matcher turns it into an unevaluable finding. */
public final class InvalidVersionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidVersionException(String scheme, String version, String reason) {
        super(scheme + " version '" + version + "': " + reason);
    }
}
