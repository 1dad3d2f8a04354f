package dev.portcullis.scanner.os;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Sink;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The distribution from {@code etc/os-release} (or {@code usr/lib/os-release}, which it usually links to) and
 * from {@code etc/alpine-release}, which carries Alpine's full point release. The end-of-life date comes from
 * {@link EndOfLife}. When an image has several of these files the scanner prefers the order of
 * {@link #PREFERENCE}.
 */
public final class OsReleaseAnalyzer implements Analyzer {
    /** Paths in the order the scanner prefers them when several are present. */
    public static final java.util.List<String> PREFERENCE =
            java.util.List.of("etc/alpine-release", "etc/os-release", "usr/lib/os-release");
    private static final int MAX_BYTES = 64 << 10;
    private static final Pattern ALPINE_VERSION = Pattern.compile("\\d+\\.\\d+(?:\\.\\d+)?(?:_[a-z0-9]+)?");
    private final EndOfLife endOfLife = new EndOfLife();

    @Override
    public String id() {
        return "os-release";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        return PREFERENCE.contains(path);
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        String text = BoundedText.read(file, MAX_BYTES);
        if (file.path().equals("etc/alpine-release")) {
            String version = text.strip();
            if (!ALPINE_VERSION.matcher(version).matches()) {
                throw new DatabaseFormatException("'" + abbreviate(version) + "' is not an Alpine release");
            }
            sink.os(new OsInfo("alpine", version, null, "Alpine Linux v" + version, file.path(),
                    endOfLife.of("alpine", version)));
            return;
        }
        Map<String, String> fields = parse(text);
        String id = fields.get("ID");
        if (id == null || id.isEmpty()) {
            throw new DatabaseFormatException("os-release has no ID");
        }
        String versionId = fields.get("VERSION_ID");
        sink.os(new OsInfo(id, versionId, fields.get("VERSION_CODENAME"), fields.get("PRETTY_NAME"), file.path(),
                endOfLife.of(id, versionId)));
    }

    /** {@code KEY=value} lines, values optionally in single or double quotes with backslash escapes. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            out.put(line.substring(0, eq).strip(), value);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
