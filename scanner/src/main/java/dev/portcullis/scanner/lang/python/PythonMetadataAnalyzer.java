package dev.portcullis.scanner.lang.python;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.Bounded;
import dev.portcullis.scanner.lang.PackageDataException;
import java.io.IOException;
import java.util.Map;

/**
 * Installed Python distributions: {@code *.dist-info/METADATA} (pip, wheels), {@code *.egg-info/PKG-INFO}
 * (setuptools, distro packages) and single-file {@code *.egg-info}.
 */
public final class PythonMetadataAnalyzer implements Analyzer {
    static final int MAX_BYTES = 8 * 1024 * 1024;

    @Override
    public String id() {
        return "python-installed";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        return path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO")
                || (path.endsWith(".egg-info") && (path.contains("-packages/") || path.contains("/site-packages")));
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        try {
            CoreMetadata m = CoreMetadata.parse(Bounded.readAll(file.content(), MAX_BYTES));
            sink.pkg(PyPiPackages.create(m.name(), m.version(), m.licenses(), file.layer(), file.path(), Map.of()));
        } catch (PackageDataException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }
}
