package dev.portcullis.scanner.lang;

import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Analyzer;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.Sink;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An analyzer for one file format that lists packages (a lockfile, or a package manager's record of what it
 * installed): which file names it reads, how the bytes become listed packages, and how one becomes a package.
 * Files are read whole, up to {@link #MAX_BYTES}. Each package records as {@code evidence} what kind of file
 * listed it.
 */
public final class PackageFileAnalyzer implements Analyzer {
    public static final int MAX_BYTES = 32 * 1024 * 1024;

    /** File bytes to listed packages; throws {@link PackageDataException} on malformed input. */
    @FunctionalInterface
    public interface Parser {
        List<Listed> parse(byte[] bytes);
    }

    /** One listed package to a package found at {@code file}. */
    @FunctionalInterface
    public interface ToPackage {
        Package create(Listed dependency, LayerFile file, Map<String, String> properties);
    }

    /** What kind of file lists the packages: a lockfile declares them, a package manager's record installs them. */
    public enum Evidence { LOCKFILE, INSTALLED }

    private final String id;
    private final int version;
    private final Evidence evidence;
    private final Predicate<String> paths;
    private final Parser parser;
    private final ToPackage toPackage;

    public PackageFileAnalyzer(String id, int version, Evidence evidence, Predicate<String> paths, Parser parser,
                               ToPackage toPackage) {
        this.id = id;
        this.version = version;
        this.evidence = evidence;
        this.paths = paths;
        this.parser = parser;
        this.toPackage = toPackage;
    }

    /** True when the last path component is {@code name}. */
    public static Predicate<String> fileNamed(String name) {
        return path -> path.equals(name) || path.endsWith("/" + name);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public boolean accepts(String path, long size) {
        return paths.test(path);
    }

    @Override
    public void analyze(LayerFile file, Sink sink) throws IOException {
        List<Listed> listed;
        try {
            listed = parser.parse(Bounded.readAll(file.content(), MAX_BYTES));
        } catch (PackageDataException | Json.JsonFormatException | UncheckedIOException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), id + ": " + e.getMessage()));
            return;
        }
        String kind = evidence.name().toLowerCase(Locale.ROOT);
        for (Listed d : listed) {
            try {
                sink.pkg(toPackage.create(d, file, d.dev() ? Map.of("scope", "dev", "evidence", kind)
                        : Map.of("evidence", kind)));
            } catch (PackageDataException e) {
                sink.unreadable(new Unreadable(file.layer(), file.path(), id + ": " + e.getMessage()));
            }
        }
    }
}
