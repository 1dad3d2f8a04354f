package dev.portcullis.scanner.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An rpm header blob as stored in every rpmdb backend (SQLite, BerkeleyDB, NDB): a big-endian count of index
 * entries and of data bytes, the 16-byte index entries (tag, type, offset, count) and the data store. Only the
 * string and int32 tags the inventory needs are decoded; every offset is checked against the data store.
 */
final class RpmHeader {
    static final int NAME = 1000;
    static final int VERSION = 1001;
    static final int RELEASE = 1002;
    static final int EPOCH = 1003;
    static final int VENDOR = 1011;
    static final int LICENSE = 1014;
    static final int ARCH = 1022;
    static final int SOURCERPM = 1044;

    static final int TYPE_INT32 = 4;
    static final int TYPE_STRING = 6;
    static final int TYPE_STRING_ARRAY = 8;
    static final int TYPE_I18NSTRING = 9;

    /** rpm's own limits: at most 0xffff index entries and 256 MiB of data per header. */
    static final int MAX_INDEX = 0xffff;
    static final int MAX_DATA = 0x0fffffff;
    private static final int MAX_STRING = 64 << 10;

    private final Map<Integer, String> strings = new HashMap<>();
    private final Map<Integer, Integer> ints = new HashMap<>();

    private RpmHeader() {
    }

    static RpmHeader parse(byte[] blob) {
        if (blob.length < 8) {
            throw new DatabaseFormatException("rpm header blob of " + blob.length + " bytes is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        int il = b.getInt(0);
        int dl = b.getInt(4);
        if (il < 1 || il > MAX_INDEX || dl < 0 || dl > MAX_DATA) {
            throw new DatabaseFormatException("rpm header has " + il + " index entries and " + dl
                    + " data bytes, outside rpm's limits");
        }
        long dataStart = 8L + 16L * il;
        if (dataStart + dl > blob.length) {
            throw new DatabaseFormatException("rpm header claims " + (dataStart + dl) + " bytes but has "
                    + blob.length);
        }
        RpmHeader h = new RpmHeader();
        for (int i = 0; i < il; i++) {
            int at = 8 + 16 * i;
            int tag = b.getInt(at);
            int type = b.getInt(at + 4);
            int offset = b.getInt(at + 8);
            int count = b.getInt(at + 12);
            if (offset < 0 || offset >= dl && !(count == 0 && offset == dl)) {
                throw new DatabaseFormatException("rpm header tag " + tag + " points outside the data store");
            }
            int abs = (int) dataStart + offset;
            int end = (int) dataStart + dl;
            switch (type) {
                case TYPE_STRING, TYPE_I18NSTRING, TYPE_STRING_ARRAY -> {
                    if (count < 1) {
                        throw new DatabaseFormatException("rpm header tag " + tag + " has no strings");
                    }
                    // for arrays only the first string matters (e.g. the default-locale summary)
                    h.strings.put(tag, string(blob, abs, end, tag));
                }
                case TYPE_INT32 -> {
                    if (count < 1 || offset % 4 != 0 || abs + 4 > end) {
                        throw new DatabaseFormatException("rpm header tag " + tag + " has a misplaced int32");
                    }
                    h.ints.put(tag, b.getInt(abs));
                }
                default -> {
                    // other types (binary, int16, ...) are not needed for the inventory
                }
            }
        }
        return h;
    }

    private static String string(byte[] blob, int from, int end, int tag) {
        int limit = Math.min(end, from + MAX_STRING);
        for (int i = from; i < limit; i++) {
            if (blob[i] == 0) {
                return new String(blob, from, i - from, StandardCharsets.UTF_8);
            }
        }
        throw new DatabaseFormatException("rpm header tag " + tag + " has an unterminated string");
    }

    String string(int tag) {
        return strings.get(tag);
    }

    Integer int32(int tag) {
        return ints.get(tag);
    }
}
