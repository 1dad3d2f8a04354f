package dev.portcullis.scanner.lang.golang;

import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.Packages;
import java.util.List;
import java.util.Map;

/**
 * Go modules as packages. The package version drops Go's {@code v} prefix (as OSV's Go ranges do); the purl keeps
 * it, as the purl spec's golang type does ({@code pkg:golang/stdlib@v1.19.8}). The main module built from a
 * checkout is {@code (devel)}.
 */
final class GoPackages {
    private GoPackages() {
    }

    /** {@code go1.19.8} or {@code go1.22.0 X:boringcrypto} as the {@code stdlib} package at version 1.19.8. */
    static Package stdlib(String goVersion, LayerFile file) {
        String token = goVersion.split(" ", 2)[0];
        if (!token.startsWith("go") || token.length() < 3) {
            throw new PackageDataException("Go toolchain version '" + goVersion + "' is not a release");
        }
        String version = token.substring(2);
        return Packages.create(Ecosystem.GO, "stdlib", version, null, "stdlib", "v" + version, file.layer(),
                file.path(), List.of("BSD-3-Clause"), Map.of());
    }

    static Package module(String path, String version, LayerFile file, Map<String, String> properties) {
        int slash = path.lastIndexOf('/');
        String namespace = slash < 0 ? null : path.substring(0, slash);
        String name = path.substring(slash + 1);
        String plain = version.startsWith("v") ? version.substring(1) : version;
        return Packages.create(Ecosystem.GO, path, plain, namespace, name, version, file.layer(), file.path(),
                List.of(), properties);
    }
}
