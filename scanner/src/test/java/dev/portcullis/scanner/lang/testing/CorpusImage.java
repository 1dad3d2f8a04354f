package dev.portcullis.scanner.lang.testing;

import dev.portcullis.scanner.analyzer.CollectingSink;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A corpus image scanned by the real engine with only the analyzers under test, for analyzer-level accuracy
 * tests; the whole-image test with every analyzer is {@code CorpusAccuracyTest}.
 */
public final class CorpusImage {
    private final String name;
    private final Path directory;

    private CorpusImage(String name, Path directory) {
        this.name = name;
        this.directory = directory;
    }

    /** The image {@code images/<name>}; skips the test when the corpus is absent. */
    public static CorpusImage open(String name) {
        return new CorpusImage(name, Corpus.image(name));
    }

    /** The image's {@code inventory.json}. */
    public JsonNode inventory() throws IOException {
        return Json.parse(Files.readAllBytes(directory.resolve("inventory.json")));
    }

    /** The layer digests, bottom first. */
    public List<Digest> layers() throws IOException {
        return result().layers().stream().map(ScanResult.Layer::digest).toList();
    }

    /** What the analyzers find in the image, as the engine reports it. */
    public CollectingSink scan(Analyzer... analyzers) throws IOException {
        ScanResult r = result(analyzers);
        CollectingSink sink = new CollectingSink();
        sink.packages.addAll(r.packages());
        sink.misconfigurations.addAll(r.misconfigurations());
        sink.secrets.addAll(r.secrets());
        sink.unreadable.addAll(r.unreadable());
        return sink;
    }

    /** The bytes of one regular file of the image, as the topmost layer holding it has it. */
    public byte[] file(String path) throws IOException {
        AtomicReference<byte[]> found = new AtomicReference<>();
        result(new Analyzer() {
            @Override
            public String id() {
                return "test-file-capture";
            }

            @Override
            public int version() {
                return 1;
            }

            @Override
            public boolean accepts(String p, long size) {
                return p.equals(path);
            }

            @Override
            public void analyze(LayerFile file, Sink sink) throws IOException {
                found.set(file.content().readAllBytes());
            }
        });
        if (found.get() == null) {
            throw new IOException(path + " is not in " + name);
        }
        return found.get();
    }

    private ScanResult result(Analyzer... analyzers) throws IOException {
        Scanner scanner = new Scanner(List.of(analyzers), List.of(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        try (ImageSource source = ImageSources.open("oci:" + directory.resolve("oci") + ":" + name)) {
            List<ScanResult> results = scanner.scan(source, null, ScanListener.NONE);
            if (results.size() != 1) {
                throw new IOException(name + " has " + results.size() + " platforms, expected one");
            }
            return results.getFirst();
        }
    }
}
