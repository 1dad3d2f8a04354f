package dev.portcullis.scanner.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Header blobs from rpm's NDB backend ({@code Packages.db}, SUSE): a little-endian file header
 * ({@code RpmP}, version, generation, slot page count), a table of 16-byte slots ({@code Slot}, package index,
 * block offset, block count) and blobs of 16-byte blocks, each starting with a {@code BlbS} blob header whose
 * length gives the header blob that follows. Every offset is checked against the file.
 */
final class RpmNdb {
    private static final int HEADER_MAGIC = 'R' | 'p' << 8 | 'm' << 16 | 'P' << 24;
    private static final int SLOT_MAGIC = 'S' | 'l' << 8 | 'o' << 16 | 't' << 24;
    private static final int BLOB_MAGIC = 'B' | 'l' << 8 | 'b' << 16 | 'S' << 24;
    private static final int PAGE_SIZE = 4096;
    private static final int SLOT_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final int MAX_SLOT_PAGES = 2048;

    private RpmNdb() {
    }

    static List<byte[]> headers(byte[] db) {
        ByteBuffer b = ByteBuffer.wrap(db).order(ByteOrder.LITTLE_ENDIAN);
        if (db.length < 32 || b.getInt(0) != HEADER_MAGIC) {
            throw new DatabaseFormatException("not an rpm NDB database (no RpmP magic)");
        }
        if (b.getInt(4) != 0) {
            throw new DatabaseFormatException("unsupported NDB version " + b.getInt(4));
        }
        int slotPages = b.getInt(12);
        if (slotPages <= 0 || slotPages > MAX_SLOT_PAGES || (long) slotPages * PAGE_SIZE > db.length) {
            throw new DatabaseFormatException("NDB slot page count " + slotPages + " does not fit the file");
        }
        List<byte[]> out = new ArrayList<>();
        int slots = slotPages * PAGE_SIZE / SLOT_SIZE;
        // the first two slot positions hold the file header
        for (int i = 2; i < slots; i++) {
            int at = i * SLOT_SIZE;
            if (b.getInt(at) != SLOT_MAGIC) {
                throw new DatabaseFormatException("NDB slot " + i + " has a bad magic");
            }
            int pkgIndex = b.getInt(at + 4);
            long blockOffset = Integer.toUnsignedLong(b.getInt(at + 8));
            long blockCount = Integer.toUnsignedLong(b.getInt(at + 12));
            if (pkgIndex == 0) {
                continue; // free slot
            }
            long start = blockOffset * BLOCK_SIZE;
            long end = start + blockCount * BLOCK_SIZE;
            if (start < (long) slotPages * PAGE_SIZE || end > db.length || blockCount == 0) {
                throw new DatabaseFormatException("NDB slot " + i + " points outside the file");
            }
            int s = (int) start;
            if (b.getInt(s) != BLOB_MAGIC || b.getInt(s + 4) != pkgIndex) {
                throw new DatabaseFormatException("NDB blob for package " + pkgIndex + " has a bad header");
            }
            long len = Integer.toUnsignedLong(b.getInt(s + 12));
            if (16 + len > end - start) {
                throw new DatabaseFormatException("NDB blob for package " + pkgIndex + " overruns its blocks");
            }
            out.add(Arrays.copyOfRange(db, s + 16, s + 16 + (int) len));
        }
        return out;
    }
}
