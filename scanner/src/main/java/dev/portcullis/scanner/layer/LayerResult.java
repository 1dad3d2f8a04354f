package dev.portcullis.scanner.layer;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.util.List;
import java.util.Set;

/**
 * Everything the analyzers found in one layer on its own, plus the shape of the layer that later merging needs:
 * which non-directory paths it writes, which paths it deletes (whiteouts) and which directories it makes opaque.
 * A complete result depends only on the layer digest and the analyzers, so it can be cached.
 */
public record LayerResult(Digest layer, List<Package> packages, List<OsInfo> os,
                          List<Misconfiguration> misconfigurations, List<SecretFinding> secrets,
                          List<Unreadable> unreadable, Set<String> files, Set<String> whiteouts,
                          Set<String> opaqueDirs, long entries, long bytes) {

    public LayerResult {
        if (layer == null) {
            throw new IllegalArgumentException("layer result needs the layer digest");
        }
        packages = List.copyOf(packages);
        os = List.copyOf(os);
        misconfigurations = List.copyOf(misconfigurations);
        secrets = List.copyOf(secrets);
        unreadable = List.copyOf(unreadable);
        files = Set.copyOf(files);
        whiteouts = Set.copyOf(whiteouts);
        opaqueDirs = Set.copyOf(opaqueDirs);
    }

    /** True when every entry of the layer was read and every accepted file analysed. */
    public boolean complete() {
        return unreadable.isEmpty();
    }
}
