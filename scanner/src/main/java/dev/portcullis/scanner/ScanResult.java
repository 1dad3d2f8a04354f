package dev.portcullis.scanner;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.time.Instant;
import java.util.List;

/**
 * What one scan of one single-platform image found. {@code packages} is the final filesystem view;
 * {@code secrets} and {@code misconfigurations} cover every layer. The result is complete only when
 * {@code unreadable} is empty: anything else is a gap the gate must treat as such (fail closed).
 *
 * @param manifestDigest null for sources without a manifest ({@code docker save} archives)
 * @param os             null when no release file was found
 */
public record ScanResult(String reference, Digest manifestDigest, Digest configDigest, String platform, OsInfo os,
                         List<Package> packages, List<Misconfiguration> misconfigurations,
                         List<SecretFinding> secrets, List<Unreadable> unreadable, List<Layer> layers,
                         ImageConfig config, Instant scannedAt) {

    public ScanResult {
        if (reference == null || configDigest == null || platform == null || config == null || scannedAt == null) {
            throw new IllegalArgumentException("scan result needs reference, config digest, platform, config, time");
        }
        packages = List.copyOf(packages);
        misconfigurations = List.copyOf(misconfigurations);
        secrets = List.copyOf(secrets);
        unreadable = List.copyOf(unreadable);
        layers = List.copyOf(layers);
    }

    public boolean complete() {
        return unreadable.isEmpty();
    }

    /**
     * One layer as scanned: the blob digest, what the history says created it, and how much was read (zero
     * entries and bytes with {@code cached} when the result came from the layer cache).
     */
    public record Layer(Digest digest, String mediaType, long size, Digest diffId, String createdBy, long entries,
                        long bytes, boolean cached) {
    }
}
