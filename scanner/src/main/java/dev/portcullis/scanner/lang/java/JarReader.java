package dev.portcullis.scanner.lang.java;

import dev.portcullis.scanner.lang.PackageDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Streams a Java archive (jar, war, ear) once, front to back, collecting the Maven and manifest metadata of the
 * archive and of every archive nested in it (Spring Boot {@code BOOT-INF/lib}, {@code WEB-INF/lib}, ear modules),
 * without unpacking anything to disk. Reading by local headers rather than the central directory is what makes
 * one pass over a layer possible; nested archives are read from the outer entry's stream the same way.
 *
 * <p>Bounds: nesting depth, entries per archive, size of each metadata file, and the total bytes inflated for
 * nested archives relative to the outer archive's size (a zip bomb stops with a {@link PackageDataException}).
 */
final class JarReader {
    /** How deep archives may nest: outer jar is depth 0, a jar in its BOOT-INF/lib depth 1. */
    static final int MAX_DEPTH = 4;
    static final int MAX_ENTRIES = 200_000;
    static final int MAX_METADATA_BYTES = 256 * 1024;
    static final int MAX_PATH = 4096;
    /** Inflated bytes of nested archives allowed per byte of the outer archive, plus a fixed allowance. */
    static final long MAX_RATIO = 100;
    static final long RATIO_ALLOWANCE = 16L * 1024 * 1024;

    /** Small configuration files inside archives, where credentials end up: searched for secrets. */
    private static final Pattern CONFIG_ENTRY = Pattern.compile(
            "(?i)(?:.*/)?(?:[^/]+\\.(?:properties|ya?ml|env|conf|cfg|ini|pem|key)|\\.env|\\.npmrc|\\.pypirc)");
    static final int MAX_CONFIG_BYTES = 1024 * 1024;

    /**
     * Where the reader reports: the facts of each archive, nested archives it could not read (path, reason), and
     * configuration entries (path with {@code !/}, content) for the secret rules.
     */
    record Callbacks(Consumer<ArchiveFacts> archives, BiConsumer<String, String> problems,
                     BiConsumer<String, byte[]> configFiles) {
    }

    private final Consumer<ArchiveFacts> out;
    private final BiConsumer<String, String> problems;
    private final BiConsumer<String, byte[]> configFiles;
    private final long nestedBudget;
    private long nestedBytes;

    private JarReader(Callbacks callbacks, long outerSize) {
        this.out = callbacks.archives();
        this.problems = callbacks.problems();
        this.configFiles = callbacks.configFiles();
        this.nestedBudget = Math.max(0, outerSize) * MAX_RATIO + RATIO_ALLOWANCE;
    }

    /**
     * Reads the archive at {@code path}, reporting the facts of each nested archive (innermost first) and then of
     * the outer one. A nested archive that cannot be read is reported to {@code problems} (path, reason) and the
     * outer one is read on; the outer archive being unreadable, or a bound being crossed, throws
     * {@link PackageDataException}. Does not close {@code in}.
     */
    static void read(String path, long size, InputStream in, Callbacks callbacks) throws IOException {
        new JarReader(callbacks, size).archive(path, in, 0);
    }

    /** For tests and fuzzing: all facts of an archive held in memory; nested problems are thrown. */
    static List<ArchiveFacts> read(String path, byte[] bytes) throws IOException {
        List<ArchiveFacts> all = new ArrayList<>();
        read(path, bytes.length, new ByteArrayInputStream(bytes), new Callbacks(all::add, (p, reason) -> {
            throw new PackageDataException(p + ": " + reason);
        }, (p, content) -> { }));
        return all;
    }

    private void archive(String path, InputStream raw, int depth) throws IOException {
        MessageDigest sha1 = sha1();
        DigestInputStream in = new DigestInputStream(raw, sha1);
        // The zip stream is deliberately not closed: that would close the outer entry or the layer stream.
        ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
        List<Properties> poms = new ArrayList<>();
        Map<String, String> manifest = Map.of();
        int entries = 0;
        try {
            ZipArchiveEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw new PackageDataException(path + ": more than " + MAX_ENTRIES + " entries");
                }
                if (entry.isDirectory() || !zip.canReadEntryData(entry)) {
                    continue;
                }
                String name = entry.getName();
                if (name.length() > MAX_PATH) {
                    throw new PackageDataException(path + ": entry name longer than " + MAX_PATH);
                }
                if (isPomProperties(name)) {
                    poms.add(properties(path, name, metadata(path, name, zip)));
                } else if (name.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                    manifest = manifest(path, metadata(path, name, zip));
                } else if (isArchive(name)) {
                    nested(path + "!/" + name, zip, depth + 1);
                } else if (CONFIG_ENTRY.matcher(name).matches() && entry.getSize() <= MAX_CONFIG_BYTES) {
                    // an unknown size (-1, data descriptor) is read up to the bound as well
                    configFiles.accept(path + "!/" + name, zip.readNBytes(MAX_CONFIG_BYTES));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PackageDataException) {
                throw e;
            }
            throw new PackageDataException(path + ": not a readable zip archive: " + e.getMessage(), e);
        }
        in.transferTo(OutputStream.nullOutputStream());
        out.accept(new ArchiveFacts(path, HexFormat.of().formatHex(sha1.digest()), poms, manifest));
    }

    private void nested(String path, ZipArchiveInputStream zip, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            problems.accept(path, "archives nested deeper than " + MAX_DEPTH + " are not read");
            return;
        }
        try {
            archive(path, new BudgetStream(zip), depth);
        } catch (PackageDataException e) {
            // the zip reader may wrap the budget error; crossing the budget stops the whole outer archive
            if (nestedBytes > nestedBudget) {
                throw new BudgetExceeded(budgetMessage());
            }
            // otherwise the outer archive goes on with its next entry; its reader skips what is left of this one
            problems.accept(path, e.getMessage());
        }
    }

    private String budgetMessage() {
        return "nested archives inflate to more than " + nestedBudget + " bytes (decompression ratio limit)";
    }

    static boolean isArchive(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear");
    }

    private static boolean isPomProperties(String name) {
        return name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties");
    }

    private static byte[] metadata(String path, String name, InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_METADATA_BYTES);
        if (bytes.length == MAX_METADATA_BYTES && in.read() >= 0) {
            throw new PackageDataException(path + "!/" + name + ": larger than " + MAX_METADATA_BYTES + " bytes");
        }
        return bytes;
    }

    private static Properties properties(String path, String name, byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new ByteArrayInputStream(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new PackageDataException(path + "!/" + name + ": malformed properties: " + e.getMessage(), e);
        }
        return p;
    }

    private static Map<String, String> manifest(String path, byte[] bytes) {
        try {
            Manifest m = new Manifest(new ByteArrayInputStream(bytes));
            Map<String, String> main = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : m.getMainAttributes().entrySet()) {
                main.put(((Attributes.Name) e.getKey()).toString(), String.valueOf(e.getValue()));
            }
            return main;
        } catch (IOException | RuntimeException e) {
            throw new PackageDataException(path + "!/META-INF/MANIFEST.MF: malformed manifest: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-1", e);
        }
    }

    /** Counts bytes inflated from nested archives against the budget of the outer archive. */
    private final class BudgetStream extends InputStream {
        private final InputStream in;

        BudgetStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                charge(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                charge(n);
            }
            return n;
        }

        private void charge(long n) {
            nestedBytes += n;
            if (nestedBytes > nestedBudget) {
                throw new BudgetExceeded(budgetMessage());
            }
        }
    }

    /** Crossing the inflation budget stops the whole archive, not just the nested one being read. */
    private static final class BudgetExceeded extends PackageDataException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded(String message) {
            super(message);
        }
    }
}
