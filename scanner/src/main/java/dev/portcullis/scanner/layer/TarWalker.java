package dev.portcullis.scanner.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.portcullis.oci.Digest;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one layer blob in a single streamed pass: detects gzip, zstd or plain tar from the first bytes,
 * decompresses, walks the tar entries and hands each to a {@link Visitor} with a stream of its content. Nothing
 * is written to disk. Paths are normalised ({@link TarPaths}), whiteouts and opaque markers are recognised, and
 * the limits of {@link Limits} are enforced; the compressed bytes are checked against the layer digest.
 */
public final class TarWalker {
    static final int GZIP_BUFFER = 64 << 10;
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Limits limits;

    public TarWalker(Limits limits) {
        this.limits = limits;
    }

    /** Receives the entries of a layer in tar order. */
    public interface Visitor {
        /** {@code content} is valid only during the call; it holds the bytes of regular files, else nothing. */
        void entry(TarEntry entry, InputStream content) throws IOException;

        /** An entry that was skipped (path too long...), with the raw name and why. */
        void skipped(String rawPath, String reason);
    }

    /** What a completed walk read. */
    public record Stats(long entries, long compressedBytes, long decompressedBytes) {
    }

    /**
     * Walks the layer. {@code expected} (may be null) is the digest of the compressed blob; a mismatch is a
     * {@link LayerReadException} after the walk. The caller closes {@code blob}.
     */
    public Stats walk(InputStream blob, Digest expected, Visitor visitor) throws LayerReadException {
        MessageDigest md = expected == null ? null : expected.algorithm().newMessageDigest();
        Counting compressed = new Counting(blob, md);
        Counting decompressed;
        try {
            decompressed = new Counting(decompress(new BufferedInputStream(compressed, GZIP_BUFFER)), null);
        } catch (IOException e) {
            throw new LayerReadException("cannot start decompressing: " + message(e), e);
        }
        decompressed.guard(compressed, limits);
        try {
            return walkTar(compressed, decompressed, md, expected, visitor);
        } catch (LayerReadException e) {
            throw e.afterDecompressing(decompressed.count);
        }
    }

    private Stats walkTar(Counting compressed, Counting decompressed, MessageDigest md, Digest expected,
                          Visitor visitor) throws LayerReadException {
        long entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new TarHeaderGuard(decompressed))) {
            EntryContent content = new EntryContent(tar);
            TarArchiveEntry e;
            while ((e = nextEntry(tar)) != null) {
                if (++entries > limits.maxEntries()) {
                    throw new LayerReadException("more than " + limits.maxEntries() + " tar entries");
                }
                String raw = e.getName();
                if (raw.length() > limits.maxPathLength()) {
                    visitor.skipped(raw.substring(0, Math.min(200, raw.length())) + "...", "path longer than " + limits.maxPathLength()
                            + " characters");
                    continue;
                }
                TarEntry entry = toEntry(e);
                if (entry == null) {
                    continue;
                }
                try {
                    visitor.entry(entry, entry.kind() == TarEntry.Kind.FILE ? content : InputStream.nullInputStream());
                } catch (TarStreamException x) {
                    throw x.cause;
                }
            }
            // drain what follows the end-of-archive marker so that the digest covers the whole blob
            decompressed.transferTo(OutputStream.nullOutputStream());
            compressed.transferTo(OutputStream.nullOutputStream());
        } catch (LayerReadException x) {
            throw x;
        } catch (TarStreamException x) {
            throw x.cause;
        } catch (ZipException x) {
            throw new LayerReadException("corrupt gzip stream: " + message(x), x);
        } catch (IOException | RuntimeException x) {
            // commons-compress reports malformed headers as IllegalArgumentException and friends
            throw new LayerReadException("unreadable tar stream: " + message(x), x);
        }
        if (decompressed.count % 512 != 0) {
            // commons-compress treats a short final record as the end of the archive; a real tar never has one
            throw new LayerReadException("tar stream is truncated: " + decompressed.count
                    + " bytes is not a whole number of 512-byte records");
        }
        if (md != null) {
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(expected.encoded())) {
                throw new LayerReadException("layer content does not match its digest " + expected + " (got "
                        + expected.algorithm().id() + ":" + actual + ")");
            }
        }
        return new Stats(entries, compressed.count, decompressed.count);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (TarStreamException x) {
            throw x.cause;
        }
    }

    private static TarEntry toEntry(TarArchiveEntry e) {
        String path = TarPaths.normalize(e.getName());
        int mode = e.getMode() & 07777;
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.startsWith(WHITEOUT)) {
            String dir = TarPaths.parent(path);
            if (name.equals(OPAQUE)) {
                return new TarEntry(dir, TarEntry.Kind.OPAQUE, 0, mode, null);
            }
            if (name.startsWith(WHITEOUT + WHITEOUT)) {
                return null; // aufs metadata (.wh..wh.aufs): not part of the filesystem
            }
            String target = name.substring(WHITEOUT.length());
            return new TarEntry(dir.isEmpty() ? target : dir + "/" + target, TarEntry.Kind.WHITEOUT, 0, mode, null);
        }
        if (path.isEmpty() || path.contains("/" + WHITEOUT + WHITEOUT) || path.startsWith(WHITEOUT + WHITEOUT)) {
            return null; // the root itself, or inside aufs metadata directories such as .wh..wh.plnk/
        }
        if (e.isSymbolicLink()) {
            return new TarEntry(path, TarEntry.Kind.SYMLINK, 0, mode, e.getLinkName());
        }
        if (e.isLink()) {
            return new TarEntry(path, TarEntry.Kind.HARDLINK, 0, mode, TarPaths.normalize(e.getLinkName()));
        }
        if (e.isDirectory()) {
            return new TarEntry(path, TarEntry.Kind.DIRECTORY, 0, mode, null);
        }
        if (e.isFile()) {
            return new TarEntry(path, TarEntry.Kind.FILE, e.getSize(), mode, null);
        }
        return new TarEntry(path, TarEntry.Kind.OTHER, 0, mode, null);
    }

    private static InputStream decompress(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, GZIP_BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), GZIP_BUFFER);
        }
        return in;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Counts bytes (and feeds a digest); on the decompressed side also enforces size and ratio limits. */
    private static final class Counting extends FilterInputStream {
        private final MessageDigest md;
        long count;
        private Counting compressed;
        private Limits limits;

        Counting(InputStream in, MessageDigest md) {
            super(in);
            this.md = md;
        }

        void guard(Counting compressedSide, Limits l) {
            this.compressed = compressedSide;
            this.limits = l;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (ZipException e) {
                throw new TarStreamException(new LayerReadException("corrupt gzip stream: " + message(e), e));
            } catch (IOException | RuntimeException e) {
                // zstd-jni reports corrupt frames as ZstdIOException/RuntimeException
                throw new TarStreamException(new LayerReadException("corrupt compressed stream: " + message(e), e));
            }
            if (n > 0) {
                if (md != null) {
                    md.update(b, off, n);
                }
                count += n;
                if (limits != null) {
                    check();
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // read instead of skipping so that counts, digest and limits see every byte
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void check() {
            if (count > limits.maxLayerBytes()) {
                throw new TarStreamException(new LayerReadException("layer expands to more than "
                        + limits.maxLayerBytes() + " bytes"));
            }
            if (count > limits.ratioFloorBytes() && count > limits.maxRatio() * Math.max(1, compressed.count)) {
                throw new TarStreamException(new LayerReadException("decompression ratio above "
                        + limits.maxRatio() + ":1 (" + count + " bytes from " + compressed.count + ")"));
            }
        }
    }

    /**
     * Carries a {@link LayerReadException} through code (commons-compress, analyzers) that might otherwise catch
     * and rewrap an {@link IOException}.
     */
    static final class TarStreamException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient LayerReadException cause;

        TarStreamException(LayerReadException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** The current entry's bytes; closing it does nothing, the walker moves on by itself. */
    private static final class EntryContent extends FilterInputStream {
        EntryContent(InputStream tar) {
            super(tar);
        }

        @Override
        public void close() {
            // the walker owns the tar stream
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
