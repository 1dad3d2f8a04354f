package dev.portcullis.scanner;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.analyzer.ImageAnalyzer;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.LayerReader;
import dev.portcullis.scanner.layer.LayerResult;
import dev.portcullis.scanner.layer.LayerStack;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.os.OsPurls;
import dev.portcullis.scanner.os.OsReleaseAnalyzer;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.SourceImage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scan engine: reads each layer of an image once (or takes its result from the {@link LayerCache}), merges
 * the layers into the final view, runs the image-configuration analyzers and returns a {@link ScanResult}. This
 * is the library API the gate and {@code portcullis scan} call. One instance may serve concurrent scans: its
 * cache is thread-safe and analyzers keep no state between files. Images already in the registry's store are
 * opened with {@link dev.portcullis.scanner.source.ImageSources#fromStore}.
 */
public final class Scanner {
    private static final Logger LOG = LoggerFactory.getLogger(Scanner.class);
    private final List<Analyzer> analyzers;
    private final List<ImageAnalyzer> imageAnalyzers;
    private final Limits limits;
    private final LayerCache cache;
    private final Clock clock;
    private final String fingerprint;

    public Scanner(List<Analyzer> analyzers, List<ImageAnalyzer> imageAnalyzers, Limits limits, LayerCache cache,
                   Clock clock) {
        this.analyzers = List.copyOf(analyzers);
        this.imageAnalyzers = List.copyOf(imageAnalyzers);
        this.limits = limits;
        this.cache = cache;
        this.clock = clock;
        this.fingerprint = LayerCache.fingerprint(this.analyzers);
    }

    /** Scans every image the source names (one per platform, or only {@code platform} when not null). */
    public List<ScanResult> scan(ImageSource source, String platform, ScanListener listener) throws IOException {
        List<ScanResult> out = new ArrayList<>();
        for (SourceImage image : source.images(platform)) {
            out.add(scanImage(source, image, listener));
        }
        return out;
    }

    public ScanResult scanImage(ImageSource source, SourceImage image, ScanListener listener) {
        List<Descriptor> layers = image.layers();
        List<LayerResult> results = new ArrayList<>();
        List<ScanResult.Layer> summaries = new ArrayList<>();
        List<Unreadable> imageProblems = new ArrayList<>();
        LayerReader reader = new LayerReader(analyzers, limits);
        long imageBytes = 0;
        List<String> createdBy = createdBy(image.config());
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = layers.get(i);
            boolean overBudget = imageBytes > limits.maxImageBytes();
            // A layer past the budget is neither read nor taken from the cache (nor reported as cached).
            Optional<LayerResult> cached = overBudget ? Optional.empty() : cache.get(d.digest(), fingerprint);
            listener.layerStarted(i, layers.size(), d, cached.isPresent());
            LayerResult r;
            if (overBudget) {
                r = skipped(d.digest(), "not read: the image already expanded to more than "
                        + limits.maxImageBytes() + " bytes");
            } else if (cached.isPresent()) {
                r = cached.get();
            } else {
                r = reader.read(d.digest(), () -> source.open(d), listener::bytesRead);
                try {
                    cache.put(fingerprint, r);
                } catch (IOException e) {
                    // The cache only saves time: a full cache disk must not make results incomplete (that would block
                    // every promotion). The layer is simply read again next time.
                    LOG.atWarn().addKeyValue("layer", d.digest()).addKeyValue("error", e.toString())
                            .log("layer cache not written; the layer will be read again next time");
                }
                imageBytes += r.bytes();
            }
            listener.layerFinished(i, layers.size());
            results.add(r);
            Digest diffId = i < image.config().diffIds().size() ? image.config().diffIds().get(i) : null;
            summaries.add(new ScanResult.Layer(d.digest(), d.mediaType(), d.size(), diffId,
                    i < createdBy.size() ? createdBy.get(i) : null, cached.isPresent() ? 0 : r.entries(),
                    cached.isPresent() ? 0 : r.bytes(), cached.isPresent()));
        }
        if (!image.config().diffIds().isEmpty() && image.config().diffIds().size() != layers.size()) {
            imageProblems.add(new Unreadable(null, null, "the manifest has " + layers.size()
                    + " layers but the configuration " + image.config().diffIds().size() + " diff_ids"));
        }
        LayerStack stack = new LayerStack(results);
        OsInfo os = stack.os(OsReleaseAnalyzer.PREFERENCE).orElse(null);
        List<Package> packages = new ArrayList<>(stack.packages().stream().map(p -> OsPurls.qualify(p, os)).toList());
        packages.sort(Comparator.comparing((Package p) -> p.ecosystem().name()).thenComparing(Package::name)
                .thenComparing(Package::version).thenComparing(Package::path));
        CollectingSink configSink = new CollectingSink(); // configurations name no distribution: os stays unused
        for (ImageAnalyzer a : imageAnalyzers) {
            try {
                a.analyze(image.config(), configSink);
            } catch (RuntimeException e) {
                configSink.unreadable(new Unreadable(null, "config", a.id() + ": " + e.getMessage()));
            }
        }
        packages.addAll(configSink.packages);
        List<Misconfiguration> misconfigurations = new ArrayList<>(configSink.misconfigurations);
        misconfigurations.addAll(stack.misconfigurations());
        List<SecretFinding> secrets = new ArrayList<>(configSink.secrets);
        secrets.addAll(stack.secrets());
        List<Unreadable> unreadable = new ArrayList<>(stack.unreadable());
        unreadable.addAll(configSink.unreadable);
        unreadable.addAll(imageProblems);
        return new ScanResult(source.reference(), image.manifestDigest(), image.configDigest(), image.platform(), os,
                packages, misconfigurations, secrets, unreadable, summaries, image.config(), clock.instant());
    }

    /** History entries that produced a layer, in layer order. */
    private static List<String> createdBy(ImageConfig config) {
        return config.history().stream().filter(h -> !h.emptyLayer())
                .map(h -> h.createdBy() == null ? "" : h.createdBy()).toList();
    }

    private static LayerResult skipped(Digest layer, String why) {
        return new LayerResult(layer, List.of(), List.of(), List.of(), List.of(),
                List.of(new Unreadable(layer, null, why)), java.util.Set.of(), java.util.Set.of(),
                java.util.Set.of(), 0, 0);
    }
}
