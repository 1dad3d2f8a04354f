package dev.portcullis.scanner.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The files of an image layout, read either from a directory or from inside an (uncompressed) tar archive
 * without extracting it. Paths are relative and slash-separated, e.g. {@code blobs/sha256/ab...}.
 */
abstract sealed class LayoutFiles implements Closeable {

    abstract InputStream open(String path) throws IOException;

    abstract boolean exists(String path);

    /** The whole file, refusing files larger than {@code max}. */
    byte[] read(String path, int max) throws IOException {
        try (InputStream in = open(path)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new SourceException(path + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    static LayoutFiles directory(Path dir) throws SourceException {
        if (!Files.isDirectory(dir)) {
            throw new SourceException(dir + " is not a directory");
        }
        return new Directory(dir);
    }

    static LayoutFiles archive(Path file) throws SourceException {
        if (!Files.isRegularFile(file)) {
            throw new SourceException(file + " does not exist or is not a file");
        }
        try {
            return new Archive(new TarFile(file));
        } catch (IOException | RuntimeException e) {
            throw new SourceException(file + " is not a readable tar archive: " + e.getMessage(), e);
        }
    }

    static final class Directory extends LayoutFiles {
        private final Path root;

        Directory(Path root) {
            this.root = root;
        }

        @Override
        InputStream open(String path) throws IOException {
            Path p = resolve(path);
            try {
                return Files.newInputStream(p);
            } catch (NoSuchFileException e) {
                throw new SourceException(path + " is missing from " + root, e);
            }
        }

        @Override
        boolean exists(String path) {
            try {
                return Files.isRegularFile(resolve(path));
            } catch (SourceException e) {
                return false;
            }
        }

        private Path resolve(String path) throws SourceException {
            Path p = root.resolve(path).normalize();
            if (!p.startsWith(root.normalize())) {
                throw new SourceException(path + " points outside " + root);
            }
            return p;
        }

        @Override
        public void close() {
        }
    }

    static final class Archive extends LayoutFiles {
        private final TarFile tar;
        private final Map<String, TarArchiveEntry> entries = new HashMap<>();

        Archive(TarFile tar) {
            this.tar = tar;
            for (TarArchiveEntry e : tar.getEntries()) {
                if (e.isFile()) {
                    entries.put(dev.portcullis.scanner.layer.TarPaths.normalize(e.getName()), e);
                }
            }
        }

        @Override
        InputStream open(String path) throws IOException {
            TarArchiveEntry e = entries.get(dev.portcullis.scanner.layer.TarPaths.normalize(path));
            if (e == null) {
                throw new SourceException(path + " is missing from the archive");
            }
            return tar.getInputStream(e);
        }

        @Override
        boolean exists(String path) {
            return entries.containsKey(dev.portcullis.scanner.layer.TarPaths.normalize(path));
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }
}
