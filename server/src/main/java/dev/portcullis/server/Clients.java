package dev.portcullis.server;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the server believes about the client's side of a request: its address and the URL it used. Forwarded
 * headers are believed only behind a proxy that sets them ({@code --behind-proxy}); otherwise anyone could forge
 * their address and dodge the per-address lock-out.
 */
final class Clients {
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:\\[\\]]{1,64}");
    private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final boolean behindProxy;
    private final Optional<String> publicUrl;

    Clients(boolean behindProxy, Optional<String> publicUrl) {
        this.behindProxy = behindProxy;
        this.publicUrl = publicUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    String source(Exchange ex) {
        if (behindProxy) {
            Optional<String> forwarded = ex.header("X-Forwarded-For").map(v -> v.split(",")[0].trim())
                    .filter(v -> ADDRESS.matcher(v).matches());
            if (forwarded.isPresent()) {
                return forwarded.get();
            }
        }
        return ex.remoteAddress();
    }

    boolean secure(Exchange ex) {
        if (behindProxy) {
            Optional<String> proto = ex.header("X-Forwarded-Proto");
            if (proto.isPresent()) {
                return proto.get().equalsIgnoreCase("https");
            }
        }
        return ex.request().isSecure();
    }

    /** The base URL clients reach this server at: the configured public URL, else what the request says. */
    String baseUrl(Exchange ex) {
        if (publicUrl.isPresent()) {
            return publicUrl.get();
        }
        String authority = ex.header("Host").filter(h -> AUTHORITY.matcher(h).matches())
                .orElseGet(() -> ex.request().getHttpURI().getHost() + ":" + ex.request().getHttpURI().getPort());
        return (secure(ex) ? "https" : "http") + "://" + authority;
    }
}
