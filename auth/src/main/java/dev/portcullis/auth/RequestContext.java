package dev.portcullis.auth;

/**
 * Where an action comes from, for the audit log and the per-address login throttle.
 *
 * @param source    the client's address (behind a trusted proxy, the one the proxy reported), or {@code cli}
 * @param peer      the address the request arrived from: the proxy's behind one, else the same as {@code source}
 * @param requestId the HTTP request id, or a generated id for CLI actions
 */
public record RequestContext(String source, String peer, String requestId) {
    public RequestContext {
        if (source == null || peer == null || requestId == null) {
            throw new IllegalArgumentException("source, peer and request id are required");
        }
    }

    /** An action whose source is also its peer (the CLI, start-up, a client with no proxy in front). */
    public RequestContext(String source, String requestId) {
        this(source, source, requestId);
    }

    /** The source as the audit log records it: the client, and the proxy it came through when there is one. */
    public String auditSource() {
        return auditSource(source, peer);
    }

    public static String auditSource(String source, String peer) {
        return source.equals(peer) ? source : source + " via " + peer;
    }
}
