package dev.portcullis.scanner.lang.npm;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import java.util.List;

/** The npm-family lockfiles: package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml. */
public final class NpmLockfiles {
    private NpmLockfiles() {
    }

    public static List<Analyzer> all() {
        PackageFileAnalyzer.ToPackage toPackage = (d, file, props) ->
                NpmPackages.create(d.name(), d.version(), List.of(), file.layer(), file.path(), props);
        return List.of(
                new PackageFileAnalyzer("npm-package-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                        PackageFileAnalyzer.fileNamed("package-lock.json")
                                .or(PackageFileAnalyzer.fileNamed("npm-shrinkwrap.json"))
                                .and(p -> !p.contains("node_modules/")),
                        PackageLock::parse, toPackage),
                new PackageFileAnalyzer("yarn-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                        PackageFileAnalyzer.fileNamed("yarn.lock").and(p -> !p.contains("node_modules/")),
                        YarnLock::parse, toPackage),
                new PackageFileAnalyzer("pnpm-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                        PackageFileAnalyzer.fileNamed("pnpm-lock.yaml").and(p -> !p.contains("node_modules/")),
                        PnpmLock::parse, toPackage));
    }
}
