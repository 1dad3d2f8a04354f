package dev.portcullis.scanner.lang.php;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import dev.portcullis.scanner.lang.PackageFileAnalyzer;
import dev.portcullis.scanner.lang.Packages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Composer: installed packages from {@code vendor/composer/installed.json} (Composer 1: an array; Composer 2:
 * {@code {"packages": [...]}}) and declared ones from {@code composer.lock} ({@code packages} and
 * {@code packages-dev}). Versions drop the {@code v} of tags such as {@code v5.4.0}, as Packagist advisories do.
 */
public final class Composer {
    private Composer() {
    }

    public static Analyzer installed() {
        return new PackageFileAnalyzer("composer-installed", 1, PackageFileAnalyzer.Evidence.INSTALLED,
                path -> path.endsWith("vendor/composer/installed.json"), Composer::installed, Composer::toPackage);
    }

    public static Analyzer lock() {
        return new PackageFileAnalyzer("composer-lock", 1, PackageFileAnalyzer.Evidence.LOCKFILE,
                PackageFileAnalyzer.fileNamed("composer.lock").and(p -> !p.contains("vendor/")), Composer::lock,
                Composer::toPackage);
    }

    static List<Listed> installed(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        JsonNode packages = root.isArray() ? root : root.path("packages");
        if (!packages.isArray()) {
            throw new PackageDataException("installed.json has no package list");
        }
        List<Listed> out = new ArrayList<>();
        packages.forEach(p -> out.add(listed(p, false)));
        return out;
    }

    static List<Listed> lock(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        if (!root.isObject()) {
            throw new PackageDataException("composer.lock is not a JSON object");
        }
        List<Listed> out = new ArrayList<>();
        root.path("packages").forEach(p -> out.add(listed(p, false)));
        root.path("packages-dev").forEach(p -> out.add(listed(p, true)));
        return out;
    }

    private static Listed listed(JsonNode p, boolean dev) {
        String version = p.path("version").asText(null);
        if (version != null && version.length() > 1 && version.charAt(0) == 'v'
                && Character.isDigit(version.charAt(1))) {
            version = version.substring(1);
        }
        List<String> licenses = new ArrayList<>();
        p.path("license").forEach(l -> licenses.add(l.asText()));
        return new Listed(p.path("name").asText(null), version, dev, licenses);
    }

    private static Package toPackage(Listed d, LayerFile file, Map<String, String> props) {
        int slash = d.name().indexOf('/');
        if (slash <= 0 || slash == d.name().length() - 1) {
            throw new PackageDataException("Composer package name '" + d.name() + "' is not vendor/name");
        }
        return Packages.create(Ecosystem.COMPOSER, d.name().substring(0, slash), d.name().substring(slash + 1),
                d.version(), file.layer(), file.path(), d.licenses(), props);
    }
}
