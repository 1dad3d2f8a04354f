package dev.portcullis.scanner.lang.npm;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.lang.LockfileAnalyzer;
import java.util.List;

/** The npm-family lockfiles: package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml. */
public final class NpmLockfiles {
    private NpmLockfiles() {
    }

    public static List<Analyzer> all() {
        LockfileAnalyzer.ToPackage toPackage = (d, file, props) ->
                NpmPackages.create(d.name(), d.version(), List.of(), file.layer(), file.path(), props);
        return List.of(
                new LockfileAnalyzer("npm-package-lock", 1,
                        LockfileAnalyzer.fileNamed("package-lock.json")
                                .or(LockfileAnalyzer.fileNamed("npm-shrinkwrap.json"))
                                .and(p -> !p.contains("node_modules/")),
                        PackageLock::parse, toPackage),
                new LockfileAnalyzer("yarn-lock", 1,
                        LockfileAnalyzer.fileNamed("yarn.lock").and(p -> !p.contains("node_modules/")),
                        YarnLock::parse, toPackage),
                new LockfileAnalyzer("pnpm-lock", 1,
                        LockfileAnalyzer.fileNamed("pnpm-lock.yaml").and(p -> !p.contains("node_modules/")),
                        PnpmLock::parse, toPackage));
    }
}
