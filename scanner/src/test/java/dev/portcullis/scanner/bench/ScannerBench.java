package dev.portcullis.scanner.bench;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import dev.portcullis.scanner.source.SourceImage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Scanner speed against a reference measured in the same JVM: the scan of the largest corpus image versus a raw
 * pass that only decompresses every layer and reads every tar entry, then a re-scan with a warm layer cache.
 * Prints medians and ratios (targets: scan ≤ 1.5× raw, warm re-scan ≤ 5% of a cold scan). Run with
 * {@code bench/scanner/run.sh}; not a test.
 */
public final class ScannerBench {
    private ScannerBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("--synthetic-mib")) {
            large(Integer.parseInt(args[1]));
            return;
        }
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path image = largest(corpus.resolve("images"));
        String reference = "oci:" + image.resolve("oci");
        System.out.println("image: " + image.getFileName() + " (" + mib(layerBytes(image.resolve("oci")))
                + " MiB of layer blobs), " + rounds + " rounds after 2 warm-up rounds, "
                + Analyzers.all().size() + " analyzers");
        List<Long> raw = new ArrayList<>();
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Long> rawCpu = new ArrayList<>();
        List<Long> coldCpu = new ArrayList<>();
        long entries = 0;
        for (int i = -2; i < rounds; i++) {
            long c0 = cpu();
            long t0 = System.nanoTime();
            entries = rawPass(reference);
            long t1 = System.nanoTime();
            long c1 = cpu();
            LayerCache cache = LayerCache.inMemory();
            Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, cache,
                    Clock.systemUTC());
            ScanResult first = scan(scanner, reference);
            long t2 = System.nanoTime();
            long c2 = cpu();
            ScanResult again = scan(scanner, reference);
            long t3 = System.nanoTime();
            if (!first.complete() || !again.packages().equals(first.packages())) {
                throw new IllegalStateException("scan incomplete or cache changed the result: " + first.unreadable());
            }
            if (i >= 0) {
                raw.add(t1 - t0);
                cold.add(t2 - t1);
                warm.add(t3 - t2);
                rawCpu.add(c1 - c0);
                coldCpu.add(c2 - c1);
            }
        }
        long r = median(raw);
        long c = median(cold);
        long w = median(warm);
        System.out.printf(Locale.ROOT, "raw pass (decompress + read every tar entry, %d entries): %8.1f ms%n",
                entries, r / 1e6);
        System.out.printf(Locale.ROOT, "scan, cold layer cache:                                %8.1f ms%n", c / 1e6);
        System.out.printf(Locale.ROOT, "re-scan, warm layer cache:                             %8.1f ms%n", w / 1e6);
        System.out.printf(Locale.ROOT, "ratio scan / raw pass:       %.2f  (target <= 1.5)%n", (double) c / r);
        System.out.printf(Locale.ROOT, "ratio warm re-scan / scan:   %.3f (target <= 0.05)%n", (double) w / c);
        // CPU time is less disturbed by other load on a shared machine; the scan uses a second thread for analysis
        System.out.printf(Locale.ROOT, "process CPU: raw pass %.1f ms, scan %.1f ms, ratio %.2f%n",
                median(rawCpu) / 1e6, median(coldCpu) / 1e6, (double) median(coldCpu) / median(rawCpu));
        // where the time goes: the same cold scan with no analyzer, then with each analyzer alone
        System.out.printf(Locale.ROOT, "breakdown, process CPU of a cold scan (median of %d):%n", rounds);
        System.out.printf(Locale.ROOT, "  %-24s %8.1f ms%n", "(no analyzer)", medianScan(reference, List.of(), rounds) / 1e6);
        for (var a : Analyzers.all()) {
            System.out.printf(Locale.ROOT, "  %-24s %8.1f ms%n", a.id(), medianScan(reference, List.of(a), rounds) / 1e6);
        }
        System.out.printf(Locale.ROOT, "  %-24s %8.1f ms%n", "(no analyzer, again)",
                medianScan(reference, List.of(), rounds) / 1e6);
        System.out.printf(Locale.ROOT, "completed within a max heap of %d MiB%n",
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** One cold scan of a generated image of {@code mib} MiB, to show the heap bound (run with -Xmx256m). */
    private static void large(int mib) throws IOException {
        Path dir = Files.createTempDirectory("portcullis-bench-");
        try {
            String reference = "oci:" + SyntheticImage.write(dir, mib);
            long t0 = System.nanoTime();
            long entries = rawPass(reference);
            long t1 = System.nanoTime();
            Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                    Clock.systemUTC());
            ScanResult r = scan(scanner, reference);
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "synthetic image: %d MiB in %d entries, %d packages, complete=%s%n", mib,
                    entries, r.packages().size(), r.complete());
            System.out.printf(Locale.ROOT, "raw pass %.1f s, scan %.1f s, ratio %.2f%n", (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (double) (t2 - t1) / (t1 - t0));
            System.out.printf(Locale.ROOT, "completed within a max heap of %d MiB%n",
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "breakdown, process CPU of one cold scan each:%n  %-24s %8.1f ms%n", "(no analyzer)",
                    medianScan(reference, List.of(), 1) / 1e6);
            for (var a : Analyzers.all()) {
                System.out.printf(Locale.ROOT, "  %-24s %8.1f ms%n", a.id(), medianScan(reference, List.of(a), 1) / 1e6);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static long medianScan(String reference, List<dev.portcullis.scanner.analyzer.Analyzer> analyzers,
                                   int rounds) throws IOException {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Scanner scanner = new Scanner(analyzers, List.of(), Limits.DEFAULTS, LayerCache.inMemory(),
                    Clock.systemUTC());
            long t0 = cpu();
            scan(scanner, reference);
            times.add(cpu() - t0);
        }
        return median(times);
    }

    private static ScanResult scan(Scanner scanner, String reference) throws IOException {
        try (ImageSource source = ImageSources.open(reference)) {
            return scanner.scan(source, null, ScanListener.NONE).getFirst();
        }
    }

    /** The reference: the same blobs, decompressed and every entry read to the end, nothing else. */
    private static long rawPass(String reference) throws IOException {
        long entries = 0;
        byte[] buf = new byte[64 << 10];
        try (ImageSource source = ImageSources.open(reference)) {
            for (SourceImage image : source.images(null)) {
                for (Descriptor layer : image.layers()) {
                    try (InputStream blob = source.open(layer);
                         TarArchiveInputStream tar = new TarArchiveInputStream(decompress(blob))) {
                        while (tar.getNextEntry() != null) {
                            entries++;
                            while (tar.read(buf) >= 0) {
                                // read and discard
                            }
                        }
                    }
                }
            }
        }
        return entries;
    }

    private static InputStream decompress(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 64 << 10);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if ((magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 64 << 10);
        }
        if ((magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5) {
            return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 64 << 10);
        }
        return in;
    }

    private static Path largest(Path images) throws IOException {
        try (Stream<Path> dirs = Files.list(images)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("oci")))
                    .max((a, b) -> Long.compare(layerBytes(a.resolve("oci")), layerBytes(b.resolve("oci"))))
                    .orElseThrow(() -> new IllegalArgumentException("no images under " + images));
        }
    }

    private static long layerBytes(Path layout) {
        try (Stream<Path> files = Files.walk(layout.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
