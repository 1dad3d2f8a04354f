package dev.portcullis.scanner.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Watches the tar headers going by and refuses a PAX extended header or GNU long name larger than
 * {@link #MAX_METADATA} before commons-compress reads it: the library buffers such entries whole in memory, so a
 * layer with a gigabyte "comment" would exhaust the heap long before any size or ratio limit applies.
 *
 * <p>It follows the 512-byte record structure (header, then the entry's data rounded up to a record). A header
 * whose checksum does not verify (an extension it does not model, such as old GNU sparse files) makes it stop
 * watching rather than guess; commons-compress then reads on as usual.
 */
final class TarHeaderGuard extends FilterInputStream {
    static final int MAX_METADATA = 1 << 20;
    private static final int BLOCK = 512;

    private final byte[] header = new byte[BLOCK];
    private long position;
    private long nextHeader;
    private boolean active = true;

    TarHeaderGuard(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0 && active) {
            watch(b, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // read instead of skipping so that every header is seen
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void watch(byte[] b, int off, int n) {
        long start = position;
        position += n;
        while (active && nextHeader < position) {
            long headerEnd = nextHeader + BLOCK;
            long from = Math.max(start, nextHeader);
            long to = Math.min(position, headerEnd);
            if (from < to) {
                System.arraycopy(b, off + (int) (from - start), header, (int) (from - nextHeader), (int) (to - from));
            }
            if (position < headerEnd) {
                return; // the rest of this header comes with the next read
            }
            inspect();
        }
    }

    private void inspect() {
        if (isZero()) {
            nextHeader += BLOCK; // end-of-archive records
            return;
        }
        if (!checksumMatches()) {
            active = false;
            return;
        }
        byte type = header[156];
        long size = size();
        if (size < 0 || type == 'S') {
            active = false;
            return;
        }
        if ((type == 'x' || type == 'g' || type == 'L' || type == 'K') && size > MAX_METADATA) {
            throw new TarWalker.TarStreamException(new LayerReadException("tar metadata entry (type '"
                    + (char) type + "') of " + size + " bytes exceeds the " + MAX_METADATA + "-byte limit"));
        }
        nextHeader += BLOCK + (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private boolean isZero() {
        for (byte x : header) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: the sum of all bytes with the checksum field counted as spaces. */
    private boolean checksumMatches() {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        long stored = octal(148, 8);
        return stored == sum;
    }

    /** The size field: octal text, or big-endian binary when the first byte has its high bit set. */
    private long size() {
        if ((header[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                if (v > (Long.MAX_VALUE >> 8)) {
                    return -1;
                }
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        return octal(124, 12);
    }

    private long octal(int offset, int length) {
        String s = new String(header, offset, length, StandardCharsets.US_ASCII).trim();
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul).trim();
        }
        if (s.isEmpty() || s.length() > 21) {
            return s.isEmpty() ? 0 : -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }
}
