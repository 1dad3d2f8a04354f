package dev.portcullis.scanner.analyzer;

import java.util.List;

/** The one list of all analyzers. Add a new analyzer here; nothing is discovered by reflection. */
public final class Analyzers {
    private Analyzers() {
    }

    public static List<Analyzer> all() {
        return List.of(
                // OS package databases
                // language ecosystems
                // secrets in files
        );
    }
}
