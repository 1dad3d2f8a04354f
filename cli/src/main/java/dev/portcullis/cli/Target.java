package dev.portcullis.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code --data DIR} (the database directly) or {@code --server URL} (the management API), for admin and audit. */
final class Target {
    @ArgGroup(exclusive = true)
    Where where;

    @Option(names = "--auth-file", paramLabel = "FILE",
            description = "Credentials file written by 'portcullis login' (default: ~/.docker/config.json).")
    Path authFile;

    static final class Where {
        @Option(names = "--data", paramLabel = "DIR",
                description = "Data directory of a stopped or running server (default: ./data; env PORTCULLIS_DATA).")
        Path data;

        @Option(names = "--server", paramLabel = "URL", converter = ServerUrl.class, description = "URL of a running"
                + " server, e.g. https://registry.example.com (log in first with 'portcullis login').")
        URI server;
    }

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM certificate of a private CA to trust for"
            + " --server, besides the system's and the JDK's.")
    Path caCert;

    /** The backend to change things with: a new data directory is created. */
    AdminBackend open() throws Exception {
        return open(false);
    }

    /** The backend to read with: a data directory without a database is an error, never created. */
    AdminBackend openExisting() throws Exception {
        return open(true);
    }

    private AdminBackend open(boolean mustExist) throws Exception {
        if (where != null && where.server != null) {
            return new RemoteBackend(where.server, AuthFile.resolve(authFile), TrustedCertificates.sslContext(caCert));
        }
        DataDirOption data = new DataDirOption();
        data.data = where == null ? null : where.data;
        return new LocalBackend(mustExist ? data.existing() : data.resolve());
    }
}
