package dev.portcullis.scanner.os;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Installed rpm packages from the three rpmdb backends: SQLite {@code rpmdb.sqlite} (Fedora 33+, RHEL 9),
 * NDB {@code Packages.db} (SUSE) and BerkeleyDB {@code Packages} (RHEL 7/8, CentOS, Amazon Linux 2). Each
 * backend yields header blobs; {@link RpmHeader} decodes them. The version is {@code [epoch:]version-release};
 * the source is the name and version of the source rpm.
 */
public final class RpmAnalyzer implements Analyzer {
    static final long MAX_DB_BYTES = 512L << 20;
    private static final List<String> DIRS = List.of("var/lib/rpm/", "usr/lib/sysimage/rpm/");

    @Override
    public String id() {
        return "rpm";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        for (String dir : DIRS) {
            if (path.startsWith(dir)) {
                String name = path.substring(dir.length());
                return name.equals("rpmdb.sqlite") || name.equals("Packages.db") || name.equals("Packages");
            }
        }
        return false;
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        if (file.size() > MAX_DB_BYTES) {
            throw new DatabaseFormatException("rpm database of " + file.size() + " bytes exceeds the "
                    + (MAX_DB_BYTES >> 20) + " MiB limit");
        }
        List<byte[]> blobs;
        if (file.path().endsWith("rpmdb.sqlite")) {
            blobs = RpmSqlite.headers(file.content(), MAX_DB_BYTES);
        } else {
            byte[] db = file.content().readNBytes((int) Math.min(file.size(), MAX_DB_BYTES));
            blobs = file.path().endsWith("Packages.db") ? RpmNdb.headers(db) : RpmBerkeleyDb.headers(db);
        }
        int i = 0;
        for (byte[] blob : blobs) {
            i++;
            try {
                Package p = toPackage(file, RpmHeader.parse(blob));
                if (p != null) {
                    sink.pkg(p);
                }
            } catch (DatabaseFormatException e) {
                sink.unreadable(new Unreadable(file.layer(), file.path(), "rpm header " + i + ": " + e.getMessage()));
            }
        }
    }

    private static Package toPackage(LayerFile file, RpmHeader h) {
        String name = h.string(RpmHeader.NAME);
        String version = h.string(RpmHeader.VERSION);
        String release = h.string(RpmHeader.RELEASE);
        if (name == null || version == null || release == null) {
            throw new DatabaseFormatException("header lacks name, version or release");
        }
        if (name.equals("gpg-pubkey")) {
            return null; // imported signing keys are stored as pseudo-packages
        }
        Integer epoch = h.int32(RpmHeader.EPOCH);
        String arch = h.string(RpmHeader.ARCH);
        String evr = (epoch == null || epoch == 0 ? "" : epoch + ":") + version + "-" + release;
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("rpm").withNamespace("redhat").withName(name)
                .withVersion(version + "-" + release);
        Map<String, String> props = new TreeMap<>();
        if (arch != null && !arch.isEmpty()) {
            b.withQualifier("arch", arch);
            props.put("arch", arch);
        }
        if (epoch != null && epoch != 0) {
            b.withQualifier("epoch", epoch.toString());
        }
        Package.Source source = sourceOf(h.string(RpmHeader.SOURCERPM));
        if (source != null) {
            b.withQualifier("upstream", h.string(RpmHeader.SOURCERPM));
            props.put("sourcerpm", h.string(RpmHeader.SOURCERPM));
        }
        String vendor = h.string(RpmHeader.VENDOR);
        if (vendor != null) {
            props.put("vendor", vendor);
        }
        List<String> licenses = new ArrayList<>();
        String license = h.string(RpmHeader.LICENSE);
        if (license != null && !license.isBlank()) {
            licenses.add(license);
        }
        try {
            return new Package(Ecosystem.RPM, name, evr, b.build(), file.layer(), file.path(), source, licenses,
                    props);
        } catch (MalformedPackageURLException e) {
            throw new DatabaseFormatException("package " + name + ": " + e.getMessage(), e);
        }
    }

    /** {@code glibc-2.34-60.el9.src.rpm} → glibc, 2.34-60.el9. */
    static Package.Source sourceOf(String sourceRpm) {
        if (sourceRpm == null || sourceRpm.isBlank() || sourceRpm.equals("(none)")) {
            return null;
        }
        String s = sourceRpm;
        for (String suffix : List.of(".src.rpm", ".nosrc.rpm")) {
            if (s.endsWith(suffix)) {
                s = s.substring(0, s.length() - suffix.length());
            }
        }
        int rel = s.lastIndexOf('-');
        int ver = rel <= 0 ? -1 : s.lastIndexOf('-', rel - 1);
        if (ver <= 0) {
            return new Package.Source(s, null);
        }
        return new Package.Source(s.substring(0, ver), s.substring(ver + 1));
    }
}
