package dev.portcullis.scanner.layer;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Analyzer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Per-layer analysis results keyed by (layer digest, analyzer ids and versions), so an unchanged base layer is
 * analysed once. Kept in memory and, when a directory is given, also on disk as one JSON file per key (written
 * to a temp file and renamed, so a crash never leaves half a entry). Only complete results are stored: a layer
 * that could not be fully read is read again next time.
 */
public final class LayerCache {
    private final Map<String, LayerResult> memory = new ConcurrentHashMap<>();
    private final Path directory;

    private LayerCache(Path directory) {
        this.directory = directory;
    }

    /** A cache that lives as long as this object. */
    public static LayerCache inMemory() {
        return new LayerCache(null);
    }

    /** A cache backed by {@code directory} (created if missing), shared by later runs. */
    public static LayerCache onDisk(Path directory) throws IOException {
        Files.createDirectories(directory);
        return new LayerCache(directory);
    }

    /** The part of the key that names the analyzers: sorted {@code id@version}, e.g. {@code apk@1,dpkg@1}. */
    public static String fingerprint(List<Analyzer> analyzers) {
        return analyzers.stream().map(a -> a.id() + "@" + a.version()).sorted(Comparator.naturalOrder())
                .collect(Collectors.joining(","));
    }

    public Optional<LayerResult> get(Digest layer, String fingerprint) {
        String key = key(layer, fingerprint);
        LayerResult hit = memory.get(key);
        if (hit != null || directory == null) {
            return Optional.ofNullable(hit);
        }
        Path file = directory.resolve(key + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            LayerResult r = LayerResultCodec.decode(Files.readAllBytes(file));
            if (!r.layer().equals(layer)) {
                return Optional.empty();
            }
            memory.put(key, r);
            return Optional.of(r);
        } catch (IOException | RuntimeException e) {
            // a damaged cache entry only costs a re-read of the layer
            return Optional.empty();
        }
    }

    public void put(String fingerprint, LayerResult result) throws IOException {
        if (!result.complete()) {
            return;
        }
        String key = key(result.layer(), fingerprint);
        memory.put(key, result);
        if (directory == null) {
            return;
        }
        Path tmp = Files.createTempFile(directory, key, ".tmp");
        try {
            Files.write(tmp, LayerResultCodec.encode(result));
            try {
                Files.move(tmp, directory.resolve(key + ".json"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, directory.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file-name-safe key: the layer digest's hex plus a hash of the analyzer fingerprint. */
    private static String key(Digest layer, String fingerprint) {
        Digest f = Digest.sha256(fingerprint.getBytes(StandardCharsets.UTF_8));
        return layer.algorithm().id() + "-" + layer.encoded() + "-" + f.encoded().substring(0, 16);
    }
}
