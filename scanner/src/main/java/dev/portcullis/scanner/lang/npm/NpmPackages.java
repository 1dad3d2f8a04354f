package dev.portcullis.scanner.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.Packages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** npm names and licences into packages: {@code @scope/name} becomes purl namespace {@code @scope}. */
final class NpmPackages {
    private NpmPackages() {
    }

    static Package create(String name, String version, List<String> licenses, Digest layer, String path,
                          Map<String, String> properties) {
        if (name == null || name.isEmpty() || name.length() > 214) {
            throw new PackageDataException("invalid npm package name at " + path);
        }
        String namespace = null;
        String simple = name;
        if (name.startsWith("@")) {
            int slash = name.indexOf('/');
            if (slash < 2 || slash == name.length() - 1) {
                throw new PackageDataException("invalid scoped npm package name '" + name + "' at " + path);
            }
            namespace = name.substring(0, slash);
            simple = name.substring(slash + 1);
        }
        return Packages.create(Ecosystem.NPM, name, version, namespace, simple, version, layer, path, licenses,
                properties);
    }

    /** {@code "license": "MIT"}, {@code "license": {"type": "MIT"}} or the old {@code "licenses": [{"type": ..}]}. */
    static List<String> licenses(JsonNode pkg) {
        List<String> out = new ArrayList<>();
        JsonNode license = pkg.get("license");
        if (license != null && license.isTextual()) {
            out.add(license.textValue());
        } else if (license != null && license.path("type").isTextual()) {
            out.add(license.path("type").textValue());
        }
        for (JsonNode l : pkg.path("licenses")) {
            if (l.isTextual()) {
                out.add(l.textValue());
            } else if (l.path("type").isTextual()) {
                out.add(l.path("type").textValue());
            }
        }
        return out;
    }
}
