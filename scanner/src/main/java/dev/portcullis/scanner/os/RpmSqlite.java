package dev.portcullis.scanner.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Header blobs from an rpm SQLite database. SQLite needs a file, so the database is copied to a private temp
 * file (bounded in size, deleted afterwards) and opened read-only; this is the one place a layer's bytes touch
 * the disk.
 */
final class RpmSqlite {
    static final int MAX_PACKAGES = 100_000;

    private RpmSqlite() {
    }

    static List<byte[]> headers(InputStream content, long maxBytes) throws IOException {
        Path tmp = Files.createTempFile("portcullis-rpmdb-", ".sqlite");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                long copied = content.transferTo(out);
                if (copied > maxBytes) {
                    throw new DatabaseFormatException("rpmdb.sqlite is larger than " + maxBytes + " bytes");
                }
            }
            return read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<byte[]> read(Path db) {
        Properties p = new Properties();
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        List<byte[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db, p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT blob FROM Packages")) {
            while (rs.next()) {
                if (out.size() >= MAX_PACKAGES) {
                    throw new DatabaseFormatException("more than " + MAX_PACKAGES + " packages");
                }
                byte[] blob = rs.getBytes(1);
                if (blob != null) {
                    out.add(blob);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFormatException("not a readable rpm SQLite database: " + e.getMessage(), e);
        }
        return out;
    }
}
