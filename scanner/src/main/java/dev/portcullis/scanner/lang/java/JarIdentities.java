package dev.portcullis.scanner.lang.java;

import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.Packages;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Identifies, after a scan, the Java archives nothing inside named: by their SHA-1 in an index of Maven
 * coordinates (imported with {@code portcullis db import}), as air-gapped installations cannot ask a repository.
 * Applied to a finished result rather than inside the analyzer, so cached layer results stay independent of the
 * index's content.
 */
public final class JarIdentities {
    private JarIdentities() {
    }

    /** SHA-1s of the archives of {@code result} that have no identity yet. */
    public static Set<String> unidentified(ScanResult result) {
        Set<String> out = new LinkedHashSet<>();
        for (Unreadable u : result.unreadable()) {
            if (isUnidentifiedJar(u)) {
                out.add(u.sha1());
            }
        }
        return out;
    }

    /**
     * {@code result} with every unidentified archive whose SHA-1 is in {@code coordinates}
     * ({@code groupId:artifactId:version}) turned into a package with evidence {@code sha1 index}.
     */
    public static ScanResult identify(ScanResult result, Map<String, String> coordinates) {
        List<Package> packages = new ArrayList<>(result.packages());
        List<Unreadable> unreadable = new ArrayList<>();
        for (Unreadable u : result.unreadable()) {
            String gav = isUnidentifiedJar(u) ? coordinates.get(u.sha1()) : null;
            String[] parts = gav == null ? null : gav.split(":", -1);
            if (parts == null || parts.length != 3) {
                unreadable.add(u);
                continue;
            }
            packages.add(Packages.create(Ecosystem.MAVEN, parts[0], parts[1], parts[2], u.layer(), u.path(),
                    List.of(), Map.of("sha1", u.sha1(), "evidence", "sha1 index")));
        }
        if (unreadable.size() == result.unreadable().size()) {
            return result;
        }
        return new ScanResult(result.reference(), result.manifestDigest(), result.configDigest(), result.platform(),
                result.os(), packages, result.misconfigurations(), result.secrets(), unreadable, result.layers(),
                result.config(), result.scannedAt());
    }

    private static boolean isUnidentifiedJar(Unreadable u) {
        return !u.sha1().isEmpty() && u.reason().equals(JarAnalyzer.UNIDENTIFIED);
    }
}
