package dev.portcullis.auth.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, hash-chained audit log. Each append reads the last hash and inserts the new entry in one
 * transaction (SQLite serialises writers; the lock does the same between threads of this process), and every
 * {@link #CHECKPOINT_EVERY} entries a signed checkpoint anchors the chain.
 */
public final class AuditLog {
    public static final int CHECKPOINT_EVERY = 64;
    private static final int MAX_EXPORT_LINE = 64 * 1024;
    private static final int PAGE = 5000;

    private final Database db;
    private final Clock clock;
    private final CheckpointKey key;
    private final ReentrantLock appendLock = new ReentrantLock();

    public AuditLog(Database db, Clock clock, CheckpointKey key) {
        this.db = db;
        this.clock = clock;
        this.key = key;
    }

    /**
     * Appends one entry. Inside a caller's transaction (a promotion with its verdict) the entry joins it and commits
     * with it; the node lock is then not taken, because the transaction already holds the database's write lock
     * (SQLite) or takes the chain's table lock (PostgreSQL), and taking it after that would invert the lock order of
     * a concurrent plain append.
     */
    public AuditEntry append(AuditEvent event) {
        boolean joined = db.inOpenTransaction();
        if (!joined) {
            appendLock.lock();
        }
        try {
            return db.inTransaction(c -> {
                lockChain(c);
                long lastSeq = 0;
                String prev = AuditEntry.GENESIS;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
                     ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        lastSeq = rs.getLong(1);
                        prev = rs.getString(2);
                    }
                }
                Instant at = clock.instant();
                String hash = AuditEntry.hashOf(at, event, prev);
                long seq = lastSeq + 1;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_entry (seq, at, actor, source,"
                        + " action, target, team, outcome, request_id, detail, prev_hash, hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    s.setLong(1, seq);
                    s.setString(2, at.toString());
                    s.setString(3, event.actor());
                    s.setString(4, event.source());
                    s.setString(5, event.action());
                    s.setString(6, event.target());
                    s.setString(7, event.team());
                    s.setString(8, event.outcome());
                    s.setString(9, event.requestId());
                    s.setString(10, event.detail());
                    s.setString(11, prev);
                    s.setString(12, hash);
                    s.executeUpdate();
                }
                if (seq % CHECKPOINT_EVERY == 0) {
                    insertCheckpoint(c, seq, hash);
                }
                return new AuditEntry(seq, at, event, prev, hash);
            });
        } finally {
            if (!joined) {
                appendLock.unlock();
            }
        }
    }

    /** Anchors the current end of the chain now (on shutdown, and on demand); nothing to do on an empty log. */
    public Optional<Checkpoint> checkpoint() {
        appendLock.lock();
        try {
            return db.inTransaction(c -> {
                lockChain(c);
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1");
                     ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long seq = rs.getLong(1);
                    String hash = rs.getString(2);
                    try (PreparedStatement exists = c.prepareStatement(
                            "SELECT 1 FROM audit_checkpoint WHERE seq = ?")) {
                        exists.setLong(1, seq);
                        try (ResultSet e = exists.executeQuery()) {
                            if (e.next()) {
                                return Optional.empty();
                            }
                        }
                    }
                    return Optional.of(insertCheckpoint(c, seq, hash));
                }
            });
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Serialises appenders across nodes: on PostgreSQL two transactions could otherwise read the same last hash.
     * SQLite needs nothing more, as its write transactions begin IMMEDIATE and so already exclude each other.
     */
    private void lockChain(Connection c) throws SQLException {
        if (db.dialect() == Database.Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE audit_entry IN EXCLUSIVE MODE");
            }
        }
    }

    private Checkpoint insertCheckpoint(Connection c, long seq, String hash) throws SQLException {
        Instant at = clock.instant();
        Checkpoint cp = new Checkpoint(seq, hash, at, key.kid(), key.sign(Checkpoint.payload(seq, hash, at)));
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_checkpoint (seq, entry_hash, at, kid, signature) VALUES (?, ?, ?, ?, ?)")) {
            s.setLong(1, seq);
            s.setString(2, hash);
            s.setString(3, at.toString());
            s.setString(4, cp.kid());
            s.setString(5, cp.signature());
            s.executeUpdate();
        }
        return cp;
    }

    public ECKey publicKey() {
        return key.publicKey();
    }

    public List<AuditEntry> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT seq, at, actor, source, action, target, team, outcome,"
                + " request_id, detail, prev_hash, hash FROM audit_entry WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.afterSeq());
        q.actor().ifPresent(v -> {
            sql.append(" AND actor = ?");
            args.add(v);
        });
        q.team().ifPresent(v -> {
            sql.append(" AND team = ?");
            args.add(v);
        });
        q.repository().ifPresent(v -> {
            sql.append(" AND (target = ? OR substr(target, 1, ?) = ?)");
            args.add(v);
            args.add(v.length() + 1);
            args.add(v + "/");
        });
        q.action().ifPresent(v -> {
            sql.append(" AND (action = ? OR substr(action, 1, ?) = ?)");
            args.add(v);
            args.add(v.length() + 1);
            args.add(v + ".");
        });
        q.since().ifPresent(v -> {
            sql.append(" AND at >= ?");
            args.add(v.toString());
        });
        q.until().ifPresent(v -> {
            sql.append(" AND at < ?");
            args.add(v.toString());
        });
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(q.limit());
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    s.setObject(i + 1, args.get(i));
                }
                return readEntries(s);
            }
        });
    }

    /** Every entry in storage order (for verification, which needs them all). */
    public List<AuditEntry> entries() {
        List<AuditEntry> all = new ArrayList<>();
        forEachPage(all::addAll);
        return all;
    }

    /** Hands the log to {@code page} in storage order, a few thousand entries at a time. */
    private void forEachPage(java.util.function.Consumer<List<AuditEntry>> page) {
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<AuditEntry> entries = db.read(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT seq, at, actor, source, action, target, team,"
                        + " outcome, request_id, detail, prev_hash, hash FROM audit_entry WHERE seq > ?"
                        + " ORDER BY seq LIMIT " + PAGE)) {
                    s.setLong(1, from);
                    return readEntries(s);
                }
            });
            page.accept(entries);
            if (entries.size() < PAGE) {
                return;
            }
            after = entries.getLast().seq();
        }
    }

    public List<Checkpoint> checkpoints() {
        return db.read(c -> {
            List<Checkpoint> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT seq, entry_hash, at, kid, signature FROM audit_checkpoint ORDER BY seq");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Checkpoint(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        });
    }

    /** Verifies the live log against its checkpoints and the checkpoint key. */
    public AuditVerifier.Report verify() {
        return AuditVerifier.verify(entries(), checkpoints(), Optional.of(key.publicKey()));
    }

    /**
     * Writes the whole log as JSON Lines, entries then checkpoints, page by page (never the whole log in memory):
     * the input of an offline verification.
     */
    public void export(OutputStream out) throws IOException {
        try {
            forEachPage(page -> {
                try {
                    for (AuditEntry e : page) {
                        out.write(Json.write(e.toJson()));
                        out.write('\n');
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        for (Checkpoint cp : checkpoints()) {
            out.write(Json.write(cp.toJson()));
            out.write('\n');
        }
        out.flush();
    }

    /** Entries and checkpoints of an export, for {@link AuditVerifier}. */
    public record Export(List<AuditEntry> entries, List<Checkpoint> checkpoints) {
    }

    public static Export readExport(BufferedReader in) throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        List<Checkpoint> checkpoints = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            if (line.length() > MAX_EXPORT_LINE) {
                throw new Json.JsonFormatException("line " + number + " is longer than " + MAX_EXPORT_LINE
                        + " characters");
            }
            JsonNode node;
            try {
                node = Json.parse(line.getBytes(StandardCharsets.UTF_8));
                switch (node.path("type").asText()) {
                    case "entry" -> entries.add(AuditEntry.fromJson(node));
                    case "checkpoint" -> checkpoints.add(Checkpoint.fromJson(node));
                    default -> throw new Json.JsonFormatException("type must be entry or checkpoint");
                }
            } catch (Json.JsonFormatException | java.time.format.DateTimeParseException e) {
                throw new Json.JsonFormatException("line " + number + ": " + e.getMessage());
            }
        }
        return new Export(entries, checkpoints);
    }

    private static List<AuditEntry> readEntries(PreparedStatement s) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new AuditEntry(rs.getLong(1), Instant.parse(rs.getString(2)),
                        new AuditEvent(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10)),
                        rs.getString(11), rs.getString(12)));
            }
        }
        return out;
    }
}
