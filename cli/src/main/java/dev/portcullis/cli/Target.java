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

        @Option(names = "--server", paramLabel = "URL", description = "URL of a running server, e.g."
                + " https://registry.example.com (log in first with 'portcullis login').")
        URI server;
    }

    AdminBackend open() throws Exception {
        if (where != null && where.server != null) {
            return new RemoteBackend(where.server, AuthFile.resolve(authFile));
        }
        DataDirOption data = new DataDirOption();
        data.data = where == null ? null : where.data;
        return new LocalBackend(data.resolve());
    }
}
