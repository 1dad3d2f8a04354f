package dev.portcullis.cli;

import java.nio.file.Files;
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

    /**
     * The data directory of a command that only reads: it must hold a database already, so that a typo in
     * {@code --data} fails instead of creating an empty database and reporting on it.
     */
    Path existing() {
        Path dir = resolve();
        if (!Files.isRegularFile(dir.resolve(DATABASE))) {
            throw new NoDatabase(dir);
        }
        return dir;
    }

    static final String DATABASE = "portcullis.db";

    /** Nothing to read: exit code 2, like any unusable input. */
    static final class NoDatabase extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NoDatabase(Path dir) {
            super("no Portcullis database in " + dir.toAbsolutePath() + (Files.isDirectory(dir) ? ""
                    : " (no such directory)") + "; nothing to read: check --data or PORTCULLIS_DATA");
        }
    }
}
