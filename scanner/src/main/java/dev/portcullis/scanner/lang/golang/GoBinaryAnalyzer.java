package dev.portcullis.scanner.lang.golang;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.PackageDataException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Go binaries: the toolchain as the {@code stdlib} package, the main module and every dependency module from the
 * embedded build info. Only executable ELF files are read; anything else is dismissed after four bytes.
 */
public final class GoBinaryAnalyzer implements Analyzer {
    static final long MAX_BYTES = 1L << 30;
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    @Override
    public String id() {
        return "go-binary";
    }

    @Override
    public int version() {
        return 1;
    }

    /** Without the mode bits an executable cannot be told from data: see the three-argument form. */
    @Override
    public boolean accepts(String path, long size) {
        return false;
    }

    @Override
    public boolean accepts(String path, long size, int mode) {
        return (mode & 0111) != 0 && size > 1024 && size <= MAX_BYTES && !path.endsWith(".so")
                && !path.contains(".so.") && !path.endsWith(".sh") && !path.endsWith(".py");
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        byte[] magic = file.content().readNBytes(4);
        if (!Arrays.equals(magic, ELF)) {
            return;
        }
        Optional<BuildInfo> info;
        try {
            info = BuildInfo.read(file.content(), ELF.length);
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
            return;
        }
        if (info.isEmpty()) {
            return; // an ELF file that is not a Go binary
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

    private static void report(java.util.function.Supplier<dev.portcullis.scanner.analyzer.Package> pkg,
                               LayerFile file, Sink sink) {
        try {
            sink.pkg(pkg.get());
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }
}
