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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Installed Alpine packages from {@code lib/apk/db/installed}: blank-line separated records of {@code K:value}
 * lines ({@code P} name, {@code V} version, {@code A} arch, {@code o} origin, i.e. the source package, {@code L}
 * licence). The scanner adds the {@code distro} qualifier from the image's release.
 */
public final class ApkAnalyzer implements Analyzer {
    static final String INSTALLED = "lib/apk/db/installed";
    static final int MAX_BYTES = 64 << 20;
    static final int MAX_RECORDS = 100_000;

    @Override
    public String id() {
        return "apk";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        return path.equals(INSTALLED);
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        String text = BoundedText.read(file, MAX_BYTES);
        Map<Character, String> record = new HashMap<>();
        int start = 1;
        int lineNo = 0;
        int records = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                if (!record.isEmpty()) {
                    if (++records > MAX_RECORDS) {
                        throw new DatabaseFormatException("more than " + MAX_RECORDS + " packages");
                    }
                    emit(file, sink, record, start);
                    record = new HashMap<>();
                }
                start = lineNo + 1;
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                throw new DatabaseFormatException("line " + lineNo + ": expected 'K:value'");
            }
            // F/R/Z/a/M repeat once per file; only the package fields are kept
            record.putIfAbsent(line.charAt(0), line.substring(2));
        }
        if (!record.isEmpty()) {
            emit(file, sink, record, start);
        }
    }

    private static void emit(LayerFile file, Sink sink, Map<Character, String> r, int line) {
        String name = r.get('P');
        String version = r.get('V');
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            sink.unreadable(new Unreadable(file.layer(), file.path(),
                    "apk record at line " + line + " has no P (name) or V (version)"));
            return;
        }
        String arch = r.get('A');
        String origin = r.get('o');
        PackageURLBuilder b = PackageURLBuilder.aPackageURL().withType("apk").withNamespace("alpine")
                .withName(name).withVersion(version);
        if (arch != null && !arch.isBlank()) {
            b.withQualifier("arch", arch);
        }
        PackageURL purl;
        try {
            purl = b.build();
        } catch (MalformedPackageURLException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(),
                    "apk record at line " + line + ": " + e.getMessage()));
            return;
        }
        List<String> licenses = new ArrayList<>();
        String license = r.get('L');
        if (license != null && !license.isBlank()) {
            licenses.add(license.trim());
        }
        Map<String, String> props = arch == null ? Map.of() : Map.of("arch", arch);
        sink.pkg(new Package(Ecosystem.APK, name, version, purl, file.layer(), file.path(),
                origin == null || origin.isBlank() ? null : new Package.Source(origin, version), licenses, props));
    }
}
