package dev.portcullis.scanner.analyzer;

import java.io.IOException;

/**
 * Finds packages (or other facts) in the files of one layer. Each implementation handles one ecosystem or file
 * format, declares which paths it needs, and carries a version so that per-layer results can be cached by layer
 * digest and invalidated when the analyzer changes. All implementations are listed in {@link Analyzers}.
 *
 * <p>Analyzers see one file at a time, in tar order, with a bounded stream; they must never trust sizes or
 * counts inside the file. Anything they cannot read is reported through {@link Sink#unreadable}, never thrown
 * away silently.
 */
public interface Analyzer {

    /** Stable identifier, e.g. {@code dpkg}, {@code maven-jar}; part of the cache key. */
    String id();

    /** Bumped whenever the analyzer's output for the same input changes. */
    int version();

    /**
     * Whether this analyzer wants the regular file at {@code path} (relative to the image root, no leading
     * slash, already normalised: no {@code .} or {@code ..} components).
     */
    boolean accepts(String path, long size);

    /**
     * Like {@link #accepts(String, long)} but also sees the Unix mode bits (setuid, world-writable...), for
     * analyzers that judge files by their permissions rather than their names. Defaults to ignoring the mode.
     */
    default boolean accepts(String path, long size, int mode) {
        return accepts(path, size);
    }

    /** Reads one accepted file and reports what it found. */
    void analyze(LayerFile file, Sink sink) throws IOException;
}
