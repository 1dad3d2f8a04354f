package dev.portcullis.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --server URL} for the gate's commands, defaulting to {@code PORTCULLIS_URL}, else the one server
 * {@code portcullis login} stored credentials for.
 */
final class ServerOption {
    @Option(names = "--server", paramLabel = "URL", description = "URL of the Portcullis server (default: env"
            + " PORTCULLIS_URL, else the server you logged in to).")
    URI server;

    @Option(names = "--auth-file", paramLabel = "FILE",
            description = "Credentials file written by 'portcullis login' (default: ~/.docker/config.json).")
    Path authFile;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM certificate of a private CA to trust for"
            + " the server's TLS certificate (besides the JDK's and the system's).")
    Path caCert;

    URI resolve() throws IOException {
        if (server != null) {
            return server;
        }
        String env = System.getenv("PORTCULLIS_URL");
        if (env != null && !env.isBlank()) {
            return URI.create(env.strip());
        }
        List<String> hosts = AuthFile.resolve(authFile).identityHosts();
        if (hosts.size() == 1) {
            return URI.create("https://" + hosts.getFirst());
        }
        throw new RemoteApi.ApiException(hosts.isEmpty()
                ? "no server given: pass --server URL, set PORTCULLIS_URL, or log in with 'portcullis login URL'"
                : "logged in to several servers (" + String.join(", ", hosts) + "): pass --server URL");
    }

    RemoteApi connect() throws IOException, InterruptedException, java.security.GeneralSecurityException {
        return RemoteApi.connect(resolve(), AuthFile.resolve(authFile), TrustedCertificates.sslContext(caCert));
    }
}
