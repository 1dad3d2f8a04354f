package dev.portcullis.auth;

/**
 * Where an action comes from, for the audit log.
 *
 * @param source    the client's address, or {@code cli}
 * @param requestId the HTTP request id, or a generated id for CLI actions
 */
public record RequestContext(String source, String requestId) {
    public RequestContext {
        if (source == null || requestId == null) {
            throw new IllegalArgumentException("source and request id are required");
        }
    }
}
