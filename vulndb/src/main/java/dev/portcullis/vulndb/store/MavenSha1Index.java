package dev.portcullis.vulndb.store;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.feed.ImportProblems;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The SHA-1 → Maven coordinates index: a text file (optionally gzip-compressed) whose first line is
 * {@value #HEADER}, then one artifact per line, {@code <sha1> <groupId>:<artifactId>:<version>}; blank lines and
 * lines starting with {@code #} are ignored. {@code db import} recognises it by its first line and replaces the
 * stored index with it; {@code scan} looks up the jars it cannot otherwise identify.
 */
public final class MavenSha1Index {
    public static final String HEADER = "# portcullis maven-sha1 index 1";
    /** The name under which the index appears in {@code db status}. */
    public static final String FEED = "maven-sha1-index";
    private static final Pattern LINE = Pattern.compile(
            "([0-9a-f]{40})\\s+([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):([A-Za-z0-9_.+~-]+)");
    private static final int MAX_LINE = 1024;
    private static final int BATCH = 10_000;

    private final Database db;

    public MavenSha1Index(Database db) {
        this.db = db;
    }

    /** Whether {@code file} is an index: its first line (after gzip, if compressed) is {@link #HEADER}. */
    public static boolean isIndex(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (BufferedReader r = open(file)) {
            char[] head = new char[HEADER.length()];
            int n = r.read(head);
            return n == head.length && new String(head).equals(HEADER);
        }
    }

    /**
     * Replaces the stored index with {@code file} inside the import's transaction; malformed lines are reported and
     * skipped. Returns the number of artifacts stored.
     */
    public static int importInto(Connection c, Path file, String location, Instant now, ImportProblems problems)
            throws SQLException, IOException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM vulndb_maven_sha1");
        }
        int stored = 0;
        String sql = "INSERT INTO vulndb_maven_sha1 (sha1, group_id, artifact_id, version) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (sha1) DO UPDATE SET group_id = excluded.group_id,"
                + " artifact_id = excluded.artifact_id, version = excluded.version";
        try (BufferedReader r = open(file); PreparedStatement insert = c.prepareStatement(sql)) {
            String line;
            int number = 0;
            int pending = 0;
            while ((line = r.readLine()) != null) {
                number++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(t);
                if (t.length() > MAX_LINE || !m.matches()) {
                    problems.malformed(location + ":" + number,
                            "not '<sha1> <groupId>:<artifactId>:<version>' (lower-case hex SHA-1)");
                    continue;
                }
                for (int i = 1; i <= 4; i++) {
                    insert.setString(i, m.group(i));
                }
                insert.addBatch();
                stored++;
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            insert.executeBatch();
        }
        try (PreparedStatement u = c.prepareStatement("INSERT INTO vulndb_feed (name, format, source, records,"
                + " last_import) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET format = excluded.format,"
                + " source = excluded.source, records = excluded.records, last_import = excluded.last_import")) {
            u.setString(1, FEED);
            u.setString(2, "maven-sha1");
            u.setString(3, location);
            u.setLong(4, stored);
            u.setString(5, now.toString());
            u.executeUpdate();
        }
        return stored;
    }

    /** Coordinates ({@code groupId:artifactId:version}) of the SHA-1s the index knows; one indexed query each. */
    public Map<String, String> coordinates(Set<String> sha1s) {
        if (sha1s.isEmpty()) {
            return Map.of();
        }
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT group_id, artifact_id, version FROM vulndb_maven_sha1 WHERE sha1 = ?")) {
                for (String sha1 : sha1s) {
                    q.setString(1, sha1);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            out.put(sha1, rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getString(3));
                        }
                    }
                }
            }
            return out;
        });
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        try {
            return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            in.close();
            throw new FeedException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
