package dev.portcullis.scanner.os;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import com.github.packageurl.PackageURLBuilder;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installed Debian packages from {@code var/lib/dpkg/status} and, for distroless images, one file per package in
 * {@code var/lib/dpkg/status.d/}. Only packages whose status is {@code install ok installed} (or, in
 * {@code status.d}, which has no status field, every paragraph) count. Each package carries its source package:
 * {@code Source: name} or {@code Source: name (version)}; when absent the source is the binary itself.
 *
 * <p>The purl's namespace is {@code debian}; the scanner rewrites namespace and {@code distro} from the image's
 * os-release once the whole image is known (an Ubuntu image uses the same database).
 */
public final class DpkgAnalyzer implements Analyzer {
    static final String STATUS = "var/lib/dpkg/status";
    static final String STATUS_D = "var/lib/dpkg/status.d/";
    static final int MAX_BYTES = 64 << 20;
    private static final Pattern SOURCE = Pattern.compile("([^\\s(]+)(?:\\s*\\(([^)]+)\\))?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]*");

    @Override
    public String id() {
        return "dpkg";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        if (path.equals(STATUS)) {
            return true;
        }
        // distroless also ships <pkg>.md5sums next to each status file
        return path.startsWith(STATUS_D) && path.indexOf('/', STATUS_D.length()) < 0 && !path.endsWith(".md5sums");
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        boolean statusD = file.path().startsWith(STATUS_D);
        for (Stanzas.Paragraph p : Stanzas.parse(BoundedText.read(file, MAX_BYTES))) {
            String status = p.get("Status");
            if (!statusD && (status == null || !status.endsWith(" installed") || !status.startsWith("install "))) {
                continue;
            }
            try {
                sink.pkg(toPackage(file, p));
            } catch (DatabaseFormatException e) {
                sink.unreadable(new Unreadable(file.layer(), file.path(),
                        "dpkg paragraph at line " + p.line() + ": " + e.getMessage()));
            }
        }
    }

    private static Package toPackage(LayerFile file, Stanzas.Paragraph p) {
        String name = p.get("Package");
        String version = p.get("Version");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DatabaseFormatException("missing or invalid Package field");
        }
        if (version == null || version.isEmpty() || version.chars().anyMatch(Character::isWhitespace)) {
            throw new DatabaseFormatException("package " + name + " has a missing or invalid Version");
        }
        String arch = p.get("Architecture");
        String sourceName = name;
        String sourceVersion = version;
        String source = p.get("Source");
        if (source != null && !source.isEmpty()) {
            Matcher m = SOURCE.matcher(source);
            if (!m.matches()) {
                throw new DatabaseFormatException("package " + name + " has an invalid Source field");
            }
            sourceName = m.group(1);
            if (m.group(2) != null) {
                sourceVersion = m.group(2).trim();
            }
        }
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("deb").withNamespace("debian")
                .withName(name).withVersion(version);
        if (arch != null && !arch.isEmpty()) {
            b.withQualifier("arch", arch);
        }
        // the upstream qualifier follows the convention of the purl spec's deb examples and common scanners:
        // the source name when it differs, with @version when the source version differs
        if (!sourceVersion.equals(version)) {
            b.withQualifier("upstream", sourceName + "@" + sourceVersion);
        } else if (!sourceName.equals(name)) {
            b.withQualifier("upstream", sourceName);
        }
        PackageURL purl;
        try {
            purl = b.build();
        } catch (MalformedPackageURLException e) {
            throw new DatabaseFormatException("package " + name + ": " + e.getMessage(), e);
        }
        Map<String, String> props = arch == null ? Map.of() : Map.of("arch", arch);
        return new Package(Ecosystem.DEB, name, version, purl, file.layer(), file.path(),
                new Package.Source(sourceName, sourceVersion), null, props);
    }
}
