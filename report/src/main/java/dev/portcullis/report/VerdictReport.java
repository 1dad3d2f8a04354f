package dev.portcullis.report;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.PackageFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one report shows: the image as it was judged, its stored scan result, its verdict and what the verdict
 * was made with. Every {@link ReportFormat} renders the same value, so JSON, SARIF, JUnit and HTML never disagree.
 *
 * @param repository the repository the image was pushed to, e.g. {@code unscanned/acme/app}
 * @param tag the tag it was pushed under, null when pushed by digest
 * @param state the image's state in the gate ({@code promoted}, {@code rejected}, ...)
 * @param layers the image's layers in order; {@link #layersOf} derives them from the subject when the manifest's
 *     list is not at hand
 */
public record VerdictReport(String repository, String tag, Digest digest, String state, Subject subject,
                            Verdict verdict, Provenance provenance, List<Layer> layers) {
    public VerdictReport {
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("a report names its repository");
        }
        Objects.requireNonNull(digest, "digest");
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException("a report names the image's state");
        }
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(verdict, "verdict");
        provenance = provenance == null ? Provenance.unknown() : provenance;
        layers = List.copyOf(layers);
    }

    /** The scanner a verdict's scan result came from. */
    public record Provenance(String scannerVersion, String analyzerFingerprint) {
        public Provenance {
            scannerVersion = scannerVersion == null ? "" : scannerVersion;
            analyzerFingerprint = analyzerFingerprint == null ? "" : analyzerFingerprint;
        }

        public static Provenance unknown() {
            return new Provenance("", "");
        }
    }

    /**
     * One layer of the image.
     *
     * @param size its compressed size in bytes, -1 when not known
     * @param createdBy its history entry's {@code created_by}, empty when unknown
     */
    public record Layer(Digest digest, long size, String createdBy) {
        public Layer {
            Objects.requireNonNull(digest, "digest");
            createdBy = createdBy == null ? "" : createdBy;
        }
    }

    /** The layers the subject's packages, findings and secrets name, in the order first named, sizes unknown. */
    public static List<Layer> layersOf(Subject subject) {
        Map<Digest, String> layers = new LinkedHashMap<>();
        for (PackageFacts p : subject.packages()) {
            add(layers, p.layerDigest(), p.layerCreatedBy());
        }
        for (FindingFacts f : subject.findings()) {
            add(layers, f.layerDigest(), f.layerCreatedBy());
        }
        for (SecretFacts s : subject.secrets()) {
            add(layers, s.layerDigest(), "");
        }
        List<Layer> out = new ArrayList<>();
        layers.forEach((d, createdBy) -> out.add(new Layer(d, -1, createdBy)));
        return out;
    }

    private static void add(Map<Digest, String> layers, Digest digest, String createdBy) {
        if (digest != null) {
            layers.merge(digest, createdBy, (a, b) -> a.isEmpty() ? b : a);
        }
    }

    /** How the verdict treats one item of the scan result. */
    enum Status {
        /** A reject rule fired on it. */
        REJECTS,
        /** A reject rule fired on it and an exception accepted it. */
        EXCEPTED,
        /** Only warn rules fired on it. */
        WARNS,
        /** No rule fired on it. */
        NONE;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The status of the item a reason would name as {@code item} (with {@code purl} for findings, else empty). */
    Status status(String item, String purl) {
        if (matches(verdict.rejections(), item, purl)) {
            return Status.REJECTS;
        }
        if (verdict.exceptionsUsed().stream().anyMatch(u -> matches(u.covered(), item, purl))) {
            return Status.EXCEPTED;
        }
        return matches(verdict.warnings(), item, purl) ? Status.WARNS : Status.NONE;
    }

    private static boolean matches(List<Reason> reasons, String item, String purl) {
        return reasons.stream().anyMatch(r -> matches(r, item, purl));
    }

    private static boolean matches(Reason r, String item, String purl) {
        return r.item().equals(item) && (purl.isEmpty() || r.packagePurl().isEmpty() || r.packagePurl().equals(purl));
    }

    /** Findings, most severe first, then by id: the order every format lists them in. */
    List<FindingFacts> findingsBySeverity() {
        List<FindingFacts> sorted = new ArrayList<>(subject.findings());
        sorted.sort(java.util.Comparator.comparing(FindingFacts::severity).reversed()
                .thenComparing(FindingFacts::id).thenComparing(FindingFacts::packagePurl));
        return sorted;
    }

    /** The file each package URL was found in, for locating findings. */
    Map<String, String> packagePaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        subject.packages().forEach(p -> paths.putIfAbsent(p.purl(), p.path()));
        return paths;
    }
}
