package dev.portcullis.server;

import dev.portcullis.auth.RequestContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the server believes about the client's side of a request: its address and the URL it used. Forwarded
 * headers are believed only behind a proxy that sets them ({@code --behind-proxy}); otherwise anyone could forge
 * their address and dodge the per-address lock-out. Even then only the entries the trusted proxies appended are
 * believed: each proxy appends the address it received the request from to {@code X-Forwarded-For}, so with
 * {@code trustedProxies} proxies in front the client is the entry that many places from the right. Everything left
 * of it is whatever the client wrote.
 */
final class Clients {
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");
    private static final int MAX_FORWARDED_ENTRIES = 64;
    private static final Pattern AUTHORITY = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final boolean behindProxy;
    private final int trustedProxies;
    private final Optional<String> publicUrl;

    Clients(boolean behindProxy, int trustedProxies, Optional<String> publicUrl) {
        if (trustedProxies < 1) {
            throw new IllegalArgumentException("trustedProxies must be at least 1");
        }
        this.behindProxy = behindProxy;
        this.trustedProxies = trustedProxies;
        this.publicUrl = publicUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
    }

    /**
     * The client's address: behind the proxy, the one the trusted proxies reported, else the peer. A reported entry
     * that is not an IP address is a proxy misconfiguration, not something to record: the peer is used instead.
     */
    String source(Exchange ex) {
        String peer = ex.remoteAddress();
        if (!behindProxy) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : ex.headerValues("X-Forwarded-For")) {
            for (String entry : header.split(",", MAX_FORWARDED_ENTRIES + 1)) {
                hops.add(entry.trim());
            }
        }
        if (hops.isEmpty() || hops.size() > MAX_FORWARDED_ENTRIES) {
            return peer;
        }
        // With fewer entries than trusted proxies, every entry was appended by one of them: the leftmost is the
        // address the outermost proxy that saw the request was reached from.
        return ipAddress(hops.get(Math.max(0, hops.size() - trustedProxies))).orElse(peer);
    }

    /** The peer as well as the client, for the audit log and the login throttle. */
    RequestContext context(Exchange ex) {
        return new RequestContext(source(ex), ex.remoteAddress(), ex.requestId());
    }

    /** The source column of an audit entry: the client, and the proxy it came through. */
    String auditSource(Exchange ex) {
        return RequestContext.auditSource(source(ex), ex.remoteAddress());
    }

    /** {@code text} as a normalised IP address literal, never resolved: a host name here is not an address. */
    static Optional<String> ipAddress(String text) {
        if (!ADDRESS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(text).getHostAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
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
