package dev.portcullis.gate.pipeline;

import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.SourceImage;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.InstalledPackage;
import dev.portcullis.vulndb.match.Matcher;
import dev.portcullis.vulndb.vex.Vex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Scan, then match: the one pipeline behind {@code portcullis scan} and the gate, so a CI job and the server get the
 * same findings for the same image (and, through {@link Subjects}, the same policy input). The scanner and the
 * vulnerability database stay independent of each other; this is the adapter between them.
 */
public final class ScanPipeline {
    private final Scanner scanner;

    public ScanPipeline(Scanner scanner) {
        this.scanner = scanner;
    }

    /** Scans every image the source names (or only {@code platform}) and matches each against {@code matcher}. */
    public List<ImageScan> run(ImageSource source, String platform, ScanListener listener, Matcher matcher, Vex vex)
            throws IOException {
        List<ImageScan> out = new ArrayList<>();
        for (ScanResult r : scanner.scan(source, platform, listener)) {
            out.add(new ImageScan(r, match(r, matcher, vex)));
        }
        return out;
    }

    /** Scans and matches one image of {@code source}. */
    public ImageScan run(ImageSource source, SourceImage image, ScanListener listener, Matcher matcher, Vex vex) {
        ScanResult r = scanner.scanImage(source, image, listener);
        return new ImageScan(r, match(r, matcher, vex));
    }

    /** The findings of one scan result: every package matched, VEX applied. */
    public static List<Finding> match(ScanResult result, Matcher matcher, Vex vex) {
        return match(result, matcher, vex, d -> { });
    }

    /** As {@link #match(ScanResult, Matcher, Vex)}, telling {@code disagreements} where VEX documents disagree. */
    public static List<Finding> match(ScanResult result, Matcher matcher, Vex vex,
                                      Consumer<Vex.Disagreement> disagreements) {
        List<InstalledPackage> packages = new ArrayList<>();
        for (Package p : result.packages()) {
            packages.add(installed(result, p));
        }
        return vex.apply(matcher.match(packages), disagreements);
    }

    /** A scanned package as the matcher needs it; distro packages carry the image's distribution release. */
    public static InstalledPackage installed(ScanResult r, Package p) {
        boolean distro = switch (p.ecosystem()) {
            case DEB, APK, RPM -> true;
            default -> false;
        };
        InstalledPackage.Distro d = distro && r.os() != null && r.os().id() != null && r.os().versionId() != null
                ? new InstalledPackage.Distro(r.os().id(), r.os().versionId()) : null;
        return new InstalledPackage(p.ecosystem().purlType(), p.name(), p.version(), p.purl().canonicalize(),
                p.source() == null ? "" : p.source().name(),
                p.source() == null || p.source().version() == null ? "" : p.source().version(), d,
                p.layer() == null ? "" : p.layer().toString(), p.path());
    }
}
