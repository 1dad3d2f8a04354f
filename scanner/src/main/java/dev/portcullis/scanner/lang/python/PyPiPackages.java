package dev.portcullis.scanner.lang.python;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.lang.Packages;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** PyPI packages: the purl carries the PEP 503 normalised name ({@code PyYAML} is {@code pkg:pypi/pyyaml}). */
final class PyPiPackages {
    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    private PyPiPackages() {
    }

    static String normalise(String name) {
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }

    static Package create(String name, String version, List<String> licenses, Digest layer, String path,
                          Map<String, String> properties) {
        return Packages.create(Ecosystem.PYPI, name, version, null, normalise(name), version, layer, path, licenses,
                properties);
    }
}
