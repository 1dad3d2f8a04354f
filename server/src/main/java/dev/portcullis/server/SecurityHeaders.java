package dev.portcullis.server;

import org.eclipse.jetty.server.Response;

/**
 * Headers on every response that tell browsers to treat whatever we send as inert data: no sniffing, no framing,
 * no scripts, no referrers; and, over TLS, to stay on HTTPS.
 */
final class SecurityHeaders {
    private SecurityHeaders() {
    }

    static void apply(Response response, boolean tls) {
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        if (tls) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
    }
}
