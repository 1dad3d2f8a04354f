package dev.portcullis.scanner.analyzer;

import com.github.packageurl.PackageURL;
import dev.portcullis.oci.Digest;
import java.util.List;
import java.util.Map;

/**
 * One installed package occurrence. The same package found at two paths is two occurrences.
 *
 * @param name       ecosystem-native name: {@code groupId:artifactId} for Maven, module path for Go, the binary
 *                   package name for deb, the package name for apk/rpm/npm/PyPI
 * @param purl       valid package URL (built with packageurl-java)
 * @param layer      digest of the layer whose files show this package (for OS packages: the lowest layer whose
 *                   database lists this exact name and version, after whiteouts are applied)
 * @param path       file that is the evidence; {@code !/} separates entries of nested archives
 * @param source     source package name and version where the ecosystem has one (deb source, apk origin, rpm
 *                   source rpm); null otherwise
 * @param properties further facts, e.g. {@code sha1} of a jar, {@code arch}, {@code evidence}
 */
public record Package(Ecosystem ecosystem, String name, String version, PackageURL purl, Digest layer, String path,
                      Source source, List<String> licenses, Map<String, String> properties) {

    public Package {
        licenses = licenses == null ? List.of() : List.copyOf(licenses);
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** The source package a binary package was built from. */
    public record Source(String name, String version) {
    }
}
