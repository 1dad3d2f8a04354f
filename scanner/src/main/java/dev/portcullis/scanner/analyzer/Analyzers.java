package dev.portcullis.scanner.analyzer;

import dev.portcullis.scanner.os.ApkAnalyzer;
import dev.portcullis.scanner.os.DpkgAnalyzer;
import dev.portcullis.scanner.os.OsReleaseAnalyzer;
import java.util.List;

/** The one list of all analyzers. Add a new analyzer here; nothing is discovered by reflection. */
public final class Analyzers {
    private Analyzers() {
    }

    /** Analyzers of layer files; the scanner feeds every regular file of every layer to each that accepts it. */
    public static List<Analyzer> all() {
        return List.of(
                // OS package databases
                new OsReleaseAnalyzer(),
                new DpkgAnalyzer(),
                new ApkAnalyzer()
                // language ecosystems
                // secrets in files
        );
    }

    /** Analyzers of the image configuration (misconfiguration checks, secrets in {@code Env} and labels). */
    public static List<ImageAnalyzer> image() {
        return List.of(
                // image configuration checks
        );
    }
}
