package dev.portcullis.scanner.lang.testing;

import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs one analyzer on a small file built in the test. */
public final class Fixtures {
    public static final Digest LAYER = Digest.sha256("fixture layer".getBytes(StandardCharsets.UTF_8));

    private Fixtures() {
    }

    public static CollectingSink analyze(Analyzer analyzer, String path, String content) {
        return analyze(analyzer, path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public static CollectingSink analyze(Analyzer analyzer, String path, byte[] content, int mode) {
        if (!analyzer.accepts(path, content.length, mode)) {
            throw new AssertionError(analyzer.id() + " does not accept " + path);
        }
        CollectingSink sink = new CollectingSink();
        try {
            analyzer.analyze(new LayerFile(LAYER, path, content.length, mode, new ByteArrayInputStream(content)),
                    sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sink;
    }

    /** The purls found, canonical. */
    public static List<String> purls(CollectingSink sink) {
        return sink.packages.stream().map(p -> p.purl().canonicalize()).toList();
    }
}
