package dev.portcullis.scanner.lang.rust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import dev.portcullis.scanner.lang.Packages;
import dev.portcullis.scanner.lang.Toml;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Cargo.lock}: every {@code [[package]]} with a {@code source} (crates.io, another registry or git).
 * Packages without a source are the workspace's own crates, not dependencies.
 */
public final class CargoLock {
    private CargoLock() {
    }

    public static Analyzer analyzer() {
        return new PackageFileAnalyzer("cargo-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                PackageFileAnalyzer.fileNamed("Cargo.lock"), CargoLock::parse,
                (d, file, props) -> Packages.create(Ecosystem.CARGO, null, d.name(), d.version(), file.layer(),
                        file.path(), List.of(), props));
    }

    static List<Listed> parse(byte[] bytes) {
        List<Listed> out = new ArrayList<>();
        for (JsonNode p : Toml.parse(bytes).path("package")) {
            if (p.path("source").isTextual()) {
                out.add(new Listed(p.path("name").asText(null), p.path("version").asText(null), false));
            }
        }
        return out;
    }
}
