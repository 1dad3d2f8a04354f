package dev.portcullis.scanner.misconfig;

import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Sink;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Package-manager caches and indexes left in a layer (they add size and stale metadata; the usual advice is to
 * clean them in the same RUN). Each cache is recognised by one index file it always has, so a cache is reported
 * once, not once per cached package.
 */
public final class PackageCacheAnalyzer implements Analyzer {

    private record Cache(String manager, Pattern marker) {
    }

    private static final List<Cache> CACHES = List.of(
            new Cache("apt", Pattern.compile("var/cache/apt/(?:src)?pkgcache\\.bin")),
            new Cache("apt lists", Pattern.compile("var/lib/apt/lists/[^/]+_(?:In)?Release")),
            new Cache("apk", Pattern.compile("(?:var/cache/apk|etc/apk/cache)/APKINDEX\\.[^/]+\\.tar\\.gz")),
            new Cache("dnf/yum", Pattern.compile("var/cache/(?:dnf|yum)/.*/repomd\\.xml")),
            new Cache("pip", Pattern.compile("(?:root|home/[^/]+)/\\.cache/pip/selfcheck(?:/[^/]+)?\\.json")));

    @Override
    public String id() {
        return "package-caches";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean accepts(String path, long size) {
        return manager(path) != null;
    }

    @Override
    public void analyze(LayerFile file, Sink sink) {
        String manager = manager(file.path());
        sink.misconfiguration(new Misconfiguration("package-manager-cache", Severity.LOW,
                manager + " cache left in the image", file.path(),
                manager + " cache or index in layer " + file.layer() + "; clean it in the instruction that fills it",
                null));
    }

    private static String manager(String path) {
        for (Cache c : CACHES) {
            if (c.marker().matcher(path).matches()) {
                return c.manager();
            }
        }
        return null;
    }
}
