package dev.portcullis.scanner.report;

import java.util.Objects;

/**
 * The program that wrote a report, as SBOM and SARIF consumers expect to find it ({@code metadata.tools},
 * {@code creationInfo.creators}, {@code tool.driver}). Given by the caller, which knows its own build: the
 * scanner library cannot tell which release it is part of, and tests pin a fixed one so goldens stay stable.
 */
public record Tool(String name, String version) {
    public Tool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (name.isBlank() || version.isBlank()) {
            throw new IllegalArgumentException("a tool needs a name and a version");
        }
    }

    /** Portcullis at {@code version}. */
    public static Tool portcullis(String version) {
        return new Tool("portcullis", version);
    }
}
