package dev.portcullis.scanner.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import dev.portcullis.scanner.lang.Bounded;
import dev.portcullis.scanner.lang.PackageDataException;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Installed npm packages: the {@code package.json} at the root of each package directory under
 * {@code node_modules} (nested ones too). Files deeper inside a package (test fixtures, sub-folders with their
 * own {@code package.json}) are not package roots and are not read.
 */
public final class NodeModulesAnalyzer implements Analyzer {
    static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final Pattern PACKAGE_ROOT =
            Pattern.compile("(?:.*/)?node_modules/(?:@[^/]+/)?[^/@.][^/]*/package\\.json");

    @Override
    public String id() {
        return "npm-installed";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public boolean accepts(String path, long size) {
        return path.endsWith("/package.json") && PACKAGE_ROOT.matcher(path).matches();
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        try {
            JsonNode pkg = Json.parse(Bounded.readAll(file.content(), MAX_BYTES));
            String name = pkg.path("name").asText(null);
            String version = pkg.path("version").asText(null);
            if (name == null || version == null) {
                throw new PackageDataException("package.json of an installed package has no name or version");
            }
            sink.pkg(NpmPackages.create(name, version, NpmPackages.licenses(pkg), file.layer(), file.path(),
                    Map.of()));
        } catch (PackageDataException | Json.JsonFormatException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), e.getMessage()));
        }
    }
}
