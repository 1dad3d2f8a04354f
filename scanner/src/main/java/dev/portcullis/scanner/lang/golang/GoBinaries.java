package dev.portcullis.scanner.lang.golang;

import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.PackageDataException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Go binaries: the toolchain as the {@code stdlib} package, the main module and every dependency module from the
 * embedded build info.
 */
public final class GoBinaries {
    private GoBinaries() {
    }

    /**
     * Reports the Go packages of the executable {@code file} whose content continues in {@code in} at file offset
     * {@code position}; nothing when it is not a Go binary. Reads {@code in} only as far as the build info.
     */
    public static void analyze(InputStream in, long position, LayerFile file, Sink sink) throws IOException {
        Optional<BuildInfo> info;
        try {
            info = BuildInfo.read(in, position);
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
            return;
        }
        if (info.isEmpty()) {
            return;
        }
        BuildInfo b = info.get();
        report(() -> GoPackages.stdlib(b.goVersion(), file), file, sink);
        if (b.main() != null) {
            report(() -> GoPackages.module(b.main().path(), b.main().version(), file, Map.of("main", "true")),
                    file, sink);
        }
        for (BuildInfo.Module dep : b.deps()) {
            report(() -> GoPackages.module(dep.path(), dep.version(), file, Map.of()), file, sink);
        }
    }

    private static void report(Supplier<Package> pkg, LayerFile file, Sink sink) {
        try {
            sink.pkg(pkg.get());
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }
}
