package dev.portcullis.scanner.lang.golang;

import dev.portcullis.scanner.lang.PackageDataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The build information the Go linker embeds in every binary since Go 1.18 (what {@code go version -m} prints):
 * a 16-byte-aligned header {@code \xff Go buildinf:}, pointer size, flags, then the toolchain version and the
 * module information as varint-length-prefixed strings. Stripping ({@code -s -w}) keeps it. Found by streaming
 * the file once, so the section table at the end of an ELF file is never needed.
 *
 * <p>Binaries from Go before 1.18 store pointers instead of inline strings; they are reported as such rather
 * than read, since following the pointers needs random access to the file.
 */
record BuildInfo(String goVersion, Module main, List<Module> deps) {
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    static final int HEADER = 32;
    static final int MAX_STRING = 1024 * 1024;
    private static final int CHUNK = 64 * 1024;
    private static final int FLAG_INLINE_STRINGS = 0x2;

    BuildInfo {
        deps = List.copyOf(deps);
    }

    /** A module: path and version, with the replacement applied when {@code =>} names one with a version. */
    record Module(String path, String version) {
    }

    /**
     * The build info of a Go binary, or empty when the stream holds none. {@code position} is the file offset the
     * stream is at (the header is aligned to 16 bytes of the file). Does not close {@code in}.
     */
    static Optional<BuildInfo> read(InputStream in, long position) throws IOException {
        byte[] buf = new byte[CHUNK * 2];
        int len = 0;
        long offset = position; // file offset of buf[0]
        while (true) {
            int n = in.readNBytes(buf, len, buf.length - len);
            len += n;
            int at = find(buf, len, offset);
            if (at >= 0) {
                byte[] rest = Arrays.copyOfRange(buf, at, len);
                return Optional.of(parse(rest, in));
            }
            if (n == 0 || len < buf.length) {
                return Optional.empty();
            }
            // keep the tail so that a header straddling two chunks is still found
            int keep = MAGIC.length - 1;
            System.arraycopy(buf, len - keep, buf, 0, keep);
            offset += len - keep;
            len = keep;
        }
    }

    /** Index in {@code buf} of the magic at a 16-byte-aligned file offset, or -1. */
    private static int find(byte[] buf, int len, long offset) {
        int first = (int) ((16 - offset % 16) % 16);
        for (int i = first; i + MAGIC.length <= len; i += 16) {
            if (buf[i] == MAGIC[0] && Arrays.equals(buf, i, i + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code start} begins with the magic; {@code in} continues where it ends. */
    private static BuildInfo parse(byte[] start, InputStream in) throws IOException {
        Cursor c = new Cursor(start, in);
        byte[] header = c.take(HEADER);
        int ptrSize = header[14];
        int flags = header[15];
        if (ptrSize != 4 && ptrSize != 8) {
            throw new PackageDataException("Go build info with pointer size " + ptrSize);
        }
        if ((flags & FLAG_INLINE_STRINGS) == 0) {
            throw new PackageDataException("Go build info from before Go 1.18 (pointer format) is not read");
        }
        String version = new String(c.string(), StandardCharsets.UTF_8);
        return parse(version, c.string());
    }

    static BuildInfo parse(String goVersion, byte[] modinfo) {
        if (!goVersion.startsWith("go") && !goVersion.startsWith("devel")) {
            throw new PackageDataException("Go build info with toolchain version '" + abbreviate(goVersion) + "'");
        }
        // the linker wraps the module info in 16-byte binary sentinels; the line before the end one ends in \n
        int n = modinfo.length;
        String info = n >= 33 && modinfo[n - 17] == '\n'
                ? new String(modinfo, 16, n - 32, StandardCharsets.UTF_8)
                : new String(modinfo, StandardCharsets.UTF_8);
        Module main = null;
        List<Module> deps = new ArrayList<>();
        for (String line : info.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "mod" -> main = module(f, line);
                case "dep" -> deps.add(module(f, line));
                case "=>" -> {
                    Module replacement = module(f, line);
                    if (deps.isEmpty() && main == null) {
                        throw new PackageDataException("Go build info replacement without a module: " + line);
                    }
                    // a replacement by a local directory has no version: the original requirement is kept
                    if (!replacement.version().isEmpty()) {
                        if (deps.isEmpty()) {
                            main = replacement;
                        } else {
                            deps.set(deps.size() - 1, replacement);
                        }
                    }
                }
                default -> {
                    // path, build settings: not packages
                }
            }
        }
        return new BuildInfo(goVersion, main, deps);
    }

    private static Module module(String[] f, String line) {
        if (f.length < 3 || f[1].isEmpty()) {
            throw new PackageDataException("malformed Go module line '" + abbreviate(line) + "'");
        }
        return new Module(f[1], f[2]);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Reads from the bytes already buffered, then from the stream. */
    private static final class Cursor {
        private final byte[] start;
        private final InputStream in;
        private int pos;

        Cursor(byte[] start, InputStream in) {
            this.start = start;
            this.in = in;
        }

        int next() throws IOException {
            if (pos < start.length) {
                return start[pos++] & 0xff;
            }
            int b = in.read();
            if (b < 0) {
                throw new PackageDataException("Go build info is truncated");
            }
            return b;
        }

        byte[] take(int n) throws IOException {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) next();
            }
            return out;
        }

        byte[] string() throws IOException {
            long length = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 28) {
                    throw new PackageDataException("Go build info string length is not a valid varint");
                }
                int b = next();
                length |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (length > MAX_STRING) {
                throw new PackageDataException("Go build info string of " + length + " bytes is over the limit");
            }
            return take((int) length);
        }
    }
}
