package dev.portcullis.scanner.lang;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import java.util.List;
import java.util.Map;

/** Builds {@link Package} occurrences with a package URL checked by packageurl-java. */
public final class Packages {
    private Packages() {
    }

    /**
     * @param namespace purl namespace (Maven group, npm scope, Go module path prefix), or null
     * @param purlName  purl name (already normalised where the ecosystem wants it, e.g. PEP 503)
     * @param purlVersion version as the purl carries it (Go keeps its {@code v})
     */
    public static Package create(Ecosystem ecosystem, String name, String version, String namespace,
                                 String purlName, String purlVersion, Digest layer, String path,
                                 List<String> licenses, Map<String, String> properties) {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new PackageDataException("package without a name or version at " + path);
        }
        PackageURL purl;
        try {
            purl = new PackageURL(ecosystem.purlType(), namespace, purlName, purlVersion, null, null);
        } catch (MalformedPackageURLException e) {
            throw new PackageDataException("no valid package URL for " + name + "@" + version + ": "
                    + e.getMessage(), e);
        }
        return new Package(ecosystem, name, version, purl, layer, path, null, licenses, properties);
    }

    /** The common case: the purl name and version are the package's own. */
    public static Package create(Ecosystem ecosystem, String namespace, String name, String version, Digest layer,
                                 String path, List<String> licenses, Map<String, String> properties) {
        String full = namespace == null ? name : namespace + (ecosystem == Ecosystem.MAVEN ? ":" : "/") + name;
        return create(ecosystem, full, version, namespace, name, version, layer, path, licenses, properties);
    }
}
