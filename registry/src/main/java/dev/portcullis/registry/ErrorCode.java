package dev.portcullis.registry;

/**
 * The error codes of the OCI distribution spec, each with the HTTP status it is answered with and the spec's
 * message. {@link RegistryException} carries one of them plus a detail for the user.
 */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /** Not a spec code: a chunk out of order is answered 416 with the upload's current range. */
    RANGE_INVALID(416, "requested range not satisfiable"),
    /** Not a spec code: answered 413 when a manifest exceeds the size limit. */
    MANIFEST_TOO_BIG(413, "manifest too big"),
    /**
     * Not a spec code: a malformed query parameter (a page size that is not a number) is answered 400, with the
     * spec's UNSUPPORTED ("missing implementation or invalid set of parameters"); 405 is for methods.
     */
    PARAMETER_INVALID(400, "the operation is unsupported with these parameters");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String message() {
        return message;
    }

    /** The code written into the JSON error body; the non-spec codes map to the closest spec code. */
    public String wireCode() {
        return switch (this) {
            case RANGE_INVALID -> BLOB_UPLOAD_INVALID.name();
            case MANIFEST_TOO_BIG -> MANIFEST_INVALID.name();
            case PARAMETER_INVALID -> UNSUPPORTED.name();
            default -> name();
        };
    }
}
