package dev.portcullis.scanner.os;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Builds rpm header blobs and the three rpmdb backends the way rpm lays them out. */
final class RpmFixtures {
    private RpmFixtures() {
    }

    /** A header blob with the given tags; strings and an optional epoch. */
    static byte[] header(String name, String version, String release, Integer epoch, String arch, String sourceRpm,
                         String license) {
        List<int[]> index = new ArrayList<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        if (epoch != null) {
            index.add(new int[] {RpmHeader.EPOCH, RpmHeader.TYPE_INT32, data.size(), 1});
            data.writeBytes(ByteBuffer.allocate(4).putInt(epoch).array());
        }
        String[][] strings = {{"1000", name}, {"1001", version}, {"1002", release}, {"1022", arch},
                {"1044", sourceRpm}, {"1014", license}};
        for (String[] s : strings) {
            if (s[1] == null) {
                continue;
            }
            index.add(new int[] {Integer.parseInt(s[0]), RpmHeader.TYPE_STRING, data.size(), 1});
            data.writeBytes(s[1].getBytes(StandardCharsets.UTF_8));
            data.write(0);
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 16 * index.size() + data.size());
        b.putInt(index.size()).putInt(data.size());
        for (int[] e : index) {
            b.putInt(e[0]).putInt(e[1]).putInt(e[2]).putInt(e[3]);
        }
        b.put(data.toByteArray());
        return b.array();
    }

    static byte[] sqlite(Path dir, List<byte[]> headers) throws Exception {
        Path db = dir.resolve("rpmdb.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO Packages (blob) VALUES (?)")) {
                for (byte[] h : headers) {
                    p.setBytes(1, h);
                    p.executeUpdate();
                }
            }
        }
        return Files.readAllBytes(db);
    }

    /** NDB: one slot page; blobs start right after it, each rounded up to 16-byte blocks. */
    static byte[] ndb(List<byte[]> headers) {
        int slotArea = 4096;
        ByteArrayOutputStream blobs = new ByteArrayOutputStream();
        ByteBuffer slots = ByteBuffer.allocate(slotArea).order(ByteOrder.LITTLE_ENDIAN);
        slots.putInt('R' | 'p' << 8 | 'm' << 16 | 'P' << 24).putInt(0).putInt(1).putInt(1);
        slots.position(32);
        int pkg = 1;
        for (byte[] h : headers) {
            int offset = slotArea + blobs.size();
            int len = 16 + h.length;
            int blocks = (len + 15) / 16;
            ByteBuffer blob = ByteBuffer.allocate(blocks * 16).order(ByteOrder.LITTLE_ENDIAN);
            blob.putInt('B' | 'l' << 8 | 'b' << 16 | 'S' << 24).putInt(pkg).putInt(0).putInt(h.length).put(h);
            blobs.writeBytes(blob.array());
            slots.putInt('S' | 'l' << 8 | 'o' << 16 | 't' << 24).putInt(pkg++).putInt(offset / 16).putInt(blocks);
        }
        while (slots.position() < slotArea) {
            slots.putInt('S' | 'l' << 8 | 'o' << 16 | 't' << 24).putInt(0).putInt(0).putInt(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(slots.array());
        out.writeBytes(blobs.toByteArray());
        return out.toByteArray();
    }

    /**
     * BerkeleyDB hash: page 0 metadata, page 1 a hash page with one key/value pair per header (the value an
     * off-page item), then each header's overflow chain.
     */
    static byte[] berkeleyDb(List<byte[]> headers) {
        int pageSize = 512;
        int payload = pageSize - 26;
        List<byte[]> pages = new ArrayList<>();
        pages.add(new byte[pageSize]); // metadata, filled below
        byte[] hash = new byte[pageSize];
        pages.add(hash);
        ByteBuffer hb = ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN);
        hb.put(25, (byte) 13);
        hb.putShort(20, (short) (2 * headers.size()));
        int itemAt = pageSize;
        int e = 0;
        for (byte[] h : headers) {
            int first = pages.size();
            int chunks = (h.length + payload - 1) / payload;
            for (int c = 0; c < chunks; c++) {
                byte[] page = new byte[pageSize];
                ByteBuffer pb = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
                int len = Math.min(payload, h.length - c * payload);
                pb.put(25, (byte) 7);
                pb.putInt(16, c == chunks - 1 ? 0 : first + c + 1);
                pb.putShort(22, (short) len);
                System.arraycopy(h, c * payload, page, 26, len);
                pages.add(page);
            }
            // key: a 1-byte in-page item; value: a 12-byte HOFFPAGE item
            itemAt -= 12;
            hb.put(itemAt, (byte) 3);
            hb.putInt(itemAt + 4, first);
            hb.putInt(itemAt + 8, h.length);
            int valueAt = itemAt;
            itemAt -= 6;
            hb.put(itemAt, (byte) 1);
            hb.putShort(26 + 2 * e++, (short) itemAt);
            hb.putShort(26 + 2 * e++, (short) valueAt);
        }
        ByteBuffer meta = ByteBuffer.wrap(pages.getFirst()).order(ByteOrder.LITTLE_ENDIAN);
        meta.putInt(12, 0x061561).putInt(16, 9).putInt(20, pageSize).putInt(32, pages.size() - 1);
        meta.put(25, (byte) 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pages.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
