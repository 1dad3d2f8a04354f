package dev.portcullis.scanner.lang.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.portcullis.scanner.analyzer.Package;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Ground truth from a corpus {@code inventory.json}, as comparable lines {@code name|version|purl|path}. Package
 * URLs are compared in canonical form (so {@code @(devel)} and {@code @%28devel%29} are the same purl).
 */
public final class Inventory {
    private Inventory() {
    }

    public static List<String> expected(JsonNode inventory) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : inventory.path("packages")) {
            out.add(line(p.path("name").asText(), p.path("version").asText(), canonical(p.path("purl").asText()),
                    p.path("path").asText()));
        }
        return out;
    }

    public static List<String> actual(Collection<Package> packages) {
        return packages.stream()
                .map(p -> line(p.name(), p.version(), p.purl().canonicalize(), p.path()))
                .toList();
    }

    private static String line(String name, String version, String purl, String path) {
        return name + "|" + version + "|" + purl + "|" + path;
    }

    private static String canonical(String purl) {
        try {
            return new PackageURL(purl).canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new AssertionError("inventory purl " + purl + " is not valid", e);
        }
    }
}
