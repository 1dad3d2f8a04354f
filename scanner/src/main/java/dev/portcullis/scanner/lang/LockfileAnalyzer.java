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
import java.util.Map;
import java.util.function.Predicate;

/**
 * An analyzer for one lockfile format: which file names it reads, how the bytes become declared dependencies,
 * and how one dependency becomes a package. Lockfiles are read whole, up to {@link #MAX_BYTES}.
 */
public final class LockfileAnalyzer implements Analyzer {
    public static final int MAX_BYTES = 32 * 1024 * 1024;

    /** Lockfile bytes to declared dependencies; throws {@link PackageDataException} on malformed input. */
    @FunctionalInterface
    public interface Parser {
        List<Declared> parse(byte[] bytes);
    }

    /** One declared dependency to a package found at {@code file}. */
    @FunctionalInterface
    public interface ToPackage {
        Package create(Declared dependency, LayerFile file, Map<String, String> properties);
    }

    private final String id;
    private final int version;
    private final Predicate<String> paths;
    private final Parser parser;
    private final ToPackage toPackage;

    public LockfileAnalyzer(String id, int version, Predicate<String> paths, Parser parser, ToPackage toPackage) {
        this.id = id;
        this.version = version;
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
        List<Declared> declared;
        try {
            declared = parser.parse(Bounded.readAll(file.content(), MAX_BYTES));
        } catch (PackageDataException | Json.JsonFormatException | UncheckedIOException e) {
            sink.unreadable(new Unreadable(file.layer(), file.path(), id + ": " + e.getMessage()));
            return;
        }
        for (Declared d : declared) {
            try {
                sink.pkg(toPackage.create(d, file, d.dev() ? Map.of("scope", "dev", "evidence", "lockfile")
                        : Map.of("evidence", "lockfile")));
            } catch (PackageDataException e) {
                sink.unreadable(new Unreadable(file.layer(), file.path(), id + ": " + e.getMessage()));
            }
        }
    }
}
