package dev.portcullis.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;

/**
 * A server's URL as users type it: {@code https://registry.example.com}, or {@code 127.0.0.1:5443} without a
 * scheme, which means HTTPS (as docker and podman read a bare host). Anything else is refused with what to type.
 */
final class ServerUrl implements CommandLine.ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
        return parse(value);
    }

    static URI parse(String value) {
        String text = value.strip();
        String withScheme = text.contains("://") ? text : "https://" + text;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a server URL (" + e.getReason()
                    + "); give https://HOST[:PORT]");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
            throw new CommandLine.TypeConversionException("'" + value + "': a server URL is https://HOST[:PORT]"
                    + " (or http:// for a server in --dev mode)");
        }
        if (uri.getHost() == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a server URL; give"
                    + " https://HOST[:PORT] with no path, query or user");
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
    }
}
