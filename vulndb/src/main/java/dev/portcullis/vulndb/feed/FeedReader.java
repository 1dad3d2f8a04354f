package dev.portcullis.vulndb.feed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Turns an import path into documents: a directory tree (sorted, symbolic links not followed), a zip of feed
 * files (one per ecosystem, as OSV publishes them) or a single file. Every read is bounded: file count, document
 * size, archive entries, total expanded bytes.
 */
public final class FeedReader {
    /** One document: where it came from and its bytes. */
    public record Document(String location, byte[] bytes) {
    }

    /** Receives documents one at a time, so a large archive is never held whole. */
    public interface DocumentHandler {
        void document(Document document) throws IOException;
    }

    /** Limits of one read. */
    public record Limits(int maxFiles, long maxDocumentBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(2_000_000, 256L * 1024 * 1024, 16L * 1024 * 1024 * 1024);
    }

    private final Limits limits;

    public FeedReader(Limits limits) {
        this.limits = limits;
    }

    /** Reads {@code path}; documents are named relative to {@code path} (or by file name for a single file). */
    public void read(Path path, DocumentHandler handler, ImportProblems problems) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(path, 64, new FileVisitOption[0])) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(p -> {
                    if (files.size() <= limits.maxFiles()) {
                        files.add(p);
                    }
                });
            }
            if (files.size() > limits.maxFiles()) {
                throw new FeedException("more than " + limits.maxFiles() + " files under " + path);
            }
            for (Path f : files) {
                readFile(f, path.relativize(f).toString().replace('\\', '/'), handler, problems);
            }
        } else if (Files.isRegularFile(path)) {
            readFile(path, path.getFileName().toString(), handler, problems);
        } else {
            throw new FeedException("no such file or directory: " + path);
        }
    }

    /**
     * Reads one file, a zip or a single document, under the limits, naming it {@code name} in what it reports (a
     * download is read from a temporary file but reported under its URL).
     */
    public void readFile(Path file, String name, DocumentHandler handler, ImportProblems problems)
            throws IOException {
        long size = Files.size(file);
        if (isZip(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                readZip(in, name, handler, problems);
            }
            return;
        }
        if (size > limits.maxDocumentBytes()) {
            problems.skipped(name, "larger than " + limits.maxDocumentBytes() + " bytes");
            return;
        }
        handler.document(new Document(name, Files.readAllBytes(file)));
    }

    /** Reads a zip stream entry by entry; nested archives are not opened. */
    public void readZip(InputStream in, String name, DocumentHandler handler, ImportProblems problems)
            throws IOException {
        long total = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                if (++entries > limits.maxFiles()) {
                    throw new FeedException(name + ": more than " + limits.maxFiles() + " entries");
                }
                String location = name + "!/" + e.getName();
                if (e.getName().length() > 1024) {
                    problems.skipped(location.substring(0, 1024), "entry name too long");
                    continue;
                }
                byte[] bytes = zip.readNBytes((int) Math.min(limits.maxDocumentBytes() + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > limits.maxDocumentBytes()) {
                    problems.skipped(location, "larger than " + limits.maxDocumentBytes() + " bytes");
                    zip.transferTo(java.io.OutputStream.nullOutputStream());
                    continue;
                }
                total += bytes.length;
                if (total > limits.maxTotalBytes()) {
                    throw new FeedException(name + ": expands to more than " + limits.maxTotalBytes() + " bytes");
                }
                handler.document(new Document(location, bytes));
            }
        }
    }

    /** Whether a file starts with the zip local-header magic. */
    public static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        }
    }
}
