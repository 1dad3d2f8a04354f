package dev.portcullis.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data DIR}, shared by commands that open the Portcullis database; same default as {@code serve}. */
final class DataDirOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory holding the SQLite database (default: ./data; env PORTCULLIS_DATA).")
    Path data;

    Path resolve() {
        if (data != null) {
            return data;
        }
        String env = System.getenv("PORTCULLIS_DATA");
        return Path.of(env != null && !env.isBlank() ? env : "data");
    }
}
