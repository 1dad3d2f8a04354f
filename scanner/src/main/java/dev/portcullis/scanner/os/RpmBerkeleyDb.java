package dev.portcullis.scanner.os;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Header blobs from rpm's BerkeleyDB hash database ({@code var/lib/rpm/Packages}). Reads the hash metadata page
 * (magic {@code 0x061561}, page size, last page number), then every hash page's key/value index; each value is
 * an off-page item ({@code HOFFPAGE}) whose bytes follow a chain of overflow pages. Only little-endian,
 * unencrypted databases exist in practice and only those are read. Chains are bounded by the page count so a
 * cycle cannot loop forever.
 */
final class RpmBerkeleyDb {
    private static final int HASH_MAGIC = 0x061561;
    private static final int HASH_MAGIC_SWAPPED = 0x61150600;
    private static final int PAGE_HEADER = 26;
    private static final int TYPE_HASH_UNSORTED = 2;
    private static final int TYPE_HASH = 13;
    private static final int ITEM_OFFPAGE = 3;
    private static final int MAX_VALUE = 64 << 20;

    private RpmBerkeleyDb() {
    }

    static List<byte[]> headers(byte[] db) {
        if (db.length < 512) {
            throw new DatabaseFormatException("not a BerkeleyDB database: only " + db.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(db).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(12);
        if (magic == HASH_MAGIC_SWAPPED) {
            throw new DatabaseFormatException("big-endian BerkeleyDB databases are not supported");
        }
        if (magic != HASH_MAGIC) {
            throw new DatabaseFormatException("not a BerkeleyDB hash database (magic " + Integer.toHexString(magic)
                    + ")");
        }
        int pageSize = b.getInt(20);
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new DatabaseFormatException("BerkeleyDB page size " + pageSize + " is invalid");
        }
        if (db[24] != 0) {
            throw new DatabaseFormatException("encrypted BerkeleyDB databases are not supported");
        }
        long lastPage = Integer.toUnsignedLong(b.getInt(32));
        long pages = db.length / pageSize;
        if (lastPage >= pages) {
            throw new DatabaseFormatException("BerkeleyDB claims " + (lastPage + 1) + " pages but the file has "
                    + pages);
        }
        List<byte[]> out = new ArrayList<>();
        for (int page = 1; page <= lastPage; page++) {
            int base = page * pageSize;
            int type = db[base + 25] & 0xff;
            if (type != TYPE_HASH && type != TYPE_HASH_UNSORTED) {
                continue;
            }
            int entries = b.getShort(base + 20) & 0xffff;
            if (entries % 2 != 0 || PAGE_HEADER + 2 * entries > pageSize) {
                throw new DatabaseFormatException("BerkeleyDB page " + page + " has a bad entry count " + entries);
            }
            // entries are key/value pairs of in-page offsets; only values matter
            for (int e = 1; e < entries; e += 2) {
                int item = b.getShort(base + PAGE_HEADER + 2 * e) & 0xffff;
                if (item + 12 > pageSize) {
                    throw new DatabaseFormatException("BerkeleyDB page " + page + " item points outside the page");
                }
                if ((db[base + item] & 0xff) != ITEM_OFFPAGE) {
                    continue; // small in-page values are index keys, not package headers
                }
                long first = Integer.toUnsignedLong(b.getInt(base + item + 4));
                out.add(overflow(db, b, pageSize, pages, first));
            }
        }
        return out;
    }

    private static byte[] overflow(byte[] db, ByteBuffer b, int pageSize, long pages, long first) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        long page = first;
        for (long hops = 0; page != 0; hops++) {
            if (page >= pages || hops > pages) {
                throw new DatabaseFormatException("BerkeleyDB overflow chain leaves the file or loops");
            }
            int base = (int) (page * pageSize);
            long next = Integer.toUnsignedLong(b.getInt(base + 16));
            int used = next == 0 ? b.getShort(base + 22) & 0xffff : pageSize - PAGE_HEADER;
            if (used > pageSize - PAGE_HEADER) {
                throw new DatabaseFormatException("BerkeleyDB overflow page " + page + " overruns itself");
            }
            value.write(db, base + PAGE_HEADER, used);
            if (value.size() > MAX_VALUE) {
                throw new DatabaseFormatException("BerkeleyDB value larger than " + MAX_VALUE + " bytes");
            }
            page = next;
        }
        return value.toByteArray();
    }
}
