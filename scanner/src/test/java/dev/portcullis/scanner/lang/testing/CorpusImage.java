package dev.portcullis.scanner.lang.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads a corpus image straight from its OCI layout for analyzer tests: each layer on its own (no whiteouts
 * applied, which is what per-layer analysis sees), every regular file offered to the analyzers that accept it.
 */
public final class CorpusImage {
    private final Path layout;
    private final JsonNode manifest;

    private CorpusImage(Path layout, JsonNode manifest) {
        this.layout = layout;
        this.manifest = manifest;
    }

    /** The image {@code images/<name>/oci}; skips the test when the corpus is absent. */
    public static CorpusImage open(String name) throws IOException {
        Path layout = Corpus.image(name).resolve("oci");
        JsonNode index = Json.parse(Files.readAllBytes(layout.resolve("index.json")));
        Digest manifest = Digest.parse(index.path("manifests").path(0).path("digest").asText());
        return new CorpusImage(layout, Json.parse(Files.readAllBytes(blob(layout, manifest))));
    }

    public Path directory() {
        return layout.getParent();
    }

    /** The image's {@code inventory.json}. */
    public JsonNode inventory() throws IOException {
        return Json.parse(Files.readAllBytes(directory().resolve("inventory.json")));
    }

    public ImageConfig config() throws IOException {
        Digest d = Digest.parse(manifest.path("config").path("digest").asText());
        return ImageConfig.parse(Files.readAllBytes(blob(layout, d)));
    }

    public List<Digest> layers() {
        List<Digest> out = new ArrayList<>();
        manifest.path("layers").forEach(l -> out.add(Digest.parse(l.path("digest").asText())));
        return out;
    }

    /** Offers every regular file of every layer to the analyzers, in layer and tar order. */
    public CollectingSink scan(Analyzer... analyzers) throws IOException {
        CollectingSink sink = new CollectingSink();
        for (int i = 0; i < layers().size(); i++) {
            Digest digest = layers().get(i);
            try (TarArchiveInputStream tar = layer(i)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (!e.isFile()) {
                        continue;
                    }
                    String path = normalise(e.getName());
                    List<Analyzer> wanted = new ArrayList<>();
                    for (Analyzer a : analyzers) {
                        if (a.accepts(path, e.getSize(), e.getMode() & 07777)) {
                            wanted.add(a);
                        }
                    }
                    if (wanted.isEmpty()) {
                        continue;
                    }
                    byte[] content = tar.readAllBytes();
                    for (Analyzer a : wanted) {
                        a.analyze(new LayerFile(digest, path, e.getSize(), e.getMode() & 07777,
                                new ByteArrayInputStream(content)), sink);
                    }
                }
            }
        }
        return sink;
    }

    /** The bytes of one file of the image, from the topmost layer that has it (whiteouts not applied). */
    public byte[] file(String path) throws IOException {
        byte[] found = null;
        for (int i = 0; i < layers().size(); i++) {
            try (TarArchiveInputStream tar = layer(i)) {
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    if (e.isFile() && normalise(e.getName()).equals(path)) {
                        found = tar.readAllBytes();
                    }
                }
            }
        }
        if (found == null) {
            throw new IOException(path + " is not in " + layout);
        }
        return found;
    }

    private TarArchiveInputStream layer(int i) throws IOException {
        JsonNode layer = manifest.path("layers").path(i);
        String mediaType = layer.path("mediaType").asText();
        InputStream raw = Files.newInputStream(blob(layout, Digest.parse(layer.path("digest").asText())));
        InputStream in = mediaType.endsWith("zstd") ? new ZstdCompressorInputStream(raw)
                : mediaType.endsWith("gzip") ? new GZIPInputStream(raw, 65536) : raw;
        return new TarArchiveInputStream(in);
    }

    private static String normalise(String name) {
        return name.replaceFirst("^(\\./|/)+", "");
    }

    private static Path blob(Path layout, Digest d) {
        return layout.resolve("blobs").resolve(d.algorithm().id()).resolve(d.encoded());
    }
}
