package dev.portcullis.scanner.lang;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Named sections of an ELF file read in one forward pass. The section header table sits at the end of the file,
 * after the sections it describes, so the stream is passed through {@link #tap}, which keeps the last
 * {@link #WINDOW} bytes before the table and the table itself; a section inside that window can be read once the
 * stream is exhausted. Non-allocated sections that tools append (such as cargo-auditable's {@code .dep-v0}) sit
 * there, right before the table.
 */
public final class ElfSections {
    public static final int HEADER_BYTES = 64;
    static final int WINDOW = 8 * 1024 * 1024;
    static final int MAX_TABLE = 4 * 1024 * 1024;

    private final ByteOrder order;
    private final boolean is64;
    private final long shoff;
    private final int shentsize;
    private final int shnum;
    private final int shstrndx;
    private final long captureFrom;
    private final byte[] capture;

    private ElfSections(ByteOrder order, boolean is64, long shoff, int shentsize, int shnum, int shstrndx) {
        this.order = order;
        this.is64 = is64;
        this.shoff = shoff;
        this.shentsize = shentsize;
        this.shnum = shnum;
        this.shstrndx = shstrndx;
        this.captureFrom = Math.max(HEADER_BYTES, shoff - WINDOW);
        this.capture = new byte[(int) (shoff - captureFrom) + shentsize * shnum];
    }

    /**
     * The section reader for an ELF file whose first {@link #HEADER_BYTES} are {@code header}, or empty when the
     * file has no section table (or a table larger than the bounds).
     */
    public static Optional<ElfSections> of(byte[] header, long fileSize) {
        if (header.length < HEADER_BYTES || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L'
                || header[3] != 'F') {
            return Optional.empty();
        }
        boolean is64 = header[4] == 2;
        ByteOrder order = header[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = ByteBuffer.wrap(header).order(order);
        long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
        int shentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x3a : 0x2e));
        int shnum = Short.toUnsignedInt(b.getShort(is64 ? 0x3c : 0x30));
        int shstrndx = Short.toUnsignedInt(b.getShort(is64 ? 0x3e : 0x32));
        int minEntry = is64 ? 64 : 40;
        if (shoff < HEADER_BYTES || shnum == 0 || shentsize < minEntry || shstrndx >= shnum
                || (long) shentsize * shnum > MAX_TABLE || shoff + (long) shentsize * shnum > fileSize) {
            return Optional.empty();
        }
        return Optional.of(new ElfSections(order, is64, shoff, shentsize, shnum, shstrndx));
    }

    /** Wraps the stream positioned right after the header; every byte read through it is seen once. */
    public InputStream tap(InputStream in) {
        return new FilterInputStream(in) {
            private long position = HEADER_BYTES;

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    keep(position, new byte[] {(byte) c}, 0, 1);
                    position++;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    keep(position, b, off, n);
                    position += n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // reading instead of skipping keeps the window complete
                int read = read(new byte[(int) Math.max(0, Math.min(n, 8192))]);
                return Math.max(read, 0);
            }
        };
    }

    private void keep(long at, byte[] b, int off, int len) {
        long start = Math.max(at, captureFrom);
        long end = Math.min(at + len, captureFrom + capture.length);
        if (start < end) {
            System.arraycopy(b, off + (int) (start - at), capture, (int) (start - captureFrom), (int) (end - start));
        }
    }

    /**
     * The contents of the section called {@code name}, once the stream has been read to the end; empty when there
     * is no such section.
     *
     * @throws PackageDataException when the section exists but lies outside the window kept
     */
    public Optional<byte[]> section(String name) {
        ByteBuffer table = ByteBuffer.wrap(capture, (int) (shoff - captureFrom), shentsize * shnum).slice()
                .order(order);
        long[] strtab = entry(table, shstrndx);
        for (int i = 0; i < shnum; i++) {
            long[] e = entry(table, i);
            String n = name(strtab, e[0]);
            if (name.equals(n)) {
                if (e[1] < captureFrom || e[2] < 0 || e[2] > shoff || e[1] + e[2] > shoff) {
                    throw new PackageDataException("ELF section " + name + " lies outside the "
                            + WINDOW + " bytes kept before the section table");
                }
                byte[] out = new byte[(int) e[2]];
                System.arraycopy(capture, (int) (e[1] - captureFrom), out, 0, out.length);
                return Optional.of(out);
            }
        }
        return Optional.empty();
    }

    /** {name offset, file offset, size} of entry {@code i}. */
    private long[] entry(ByteBuffer table, int i) {
        int at = i * shentsize;
        if (is64) {
            return new long[] {Integer.toUnsignedLong(table.getInt(at)), table.getLong(at + 24),
                    table.getLong(at + 32)};
        }
        return new long[] {Integer.toUnsignedLong(table.getInt(at)), Integer.toUnsignedLong(table.getInt(at + 16)),
                Integer.toUnsignedLong(table.getInt(at + 20))};
    }

    /** The name at {@code offset} of the section-name table, or null when that table is not in the window. */
    private String name(long[] strtab, long offset) {
        long at = strtab[1] + offset;
        if (strtab[1] < captureFrom || strtab[2] < 0 || at < captureFrom || at >= captureFrom + capture.length
                || offset >= strtab[2]) {
            return null;
        }
        int from = (int) (at - captureFrom);
        int end = from;
        while (end < capture.length && capture[end] != 0 && end - from < 256) {
            end++;
        }
        return new String(capture, from, end - from, StandardCharsets.ISO_8859_1);
    }
}
