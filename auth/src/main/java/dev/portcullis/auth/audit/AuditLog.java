package dev.portcullis.auth.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.portcullis.oci.Json;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.EventOutbox;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only, hash-chained audit log. Each append reads the last hash and inserts the new entry in one
 * transaction (SQLite serialises writers; the lock does the same between threads of this process). A signed
 * checkpoint anchors the chain at known points: in the append that makes {@code every} entries since the last
 * checkpoint, and whenever {@link #checkpoint()} is called (the server does so on a timer and at shutdown). Each
 * checkpoint names its predecessor and the interval, so the verifier knows which checkpoints must exist. Each is
 * also logged, so the signed head leaves the database as soon as it exists.
 */
public final class AuditLog {
    /** The entry interval of checkpoints unless configured otherwise (and the one legacy checkpoints kept). */
    public static final int CHECKPOINT_EVERY = 64;
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_EXPORT_LINE = 64 * 1024;
    private static final int PAGE = 5000;

    /** The event each signed checkpoint writes to the outbox, so the head also leaves through event delivery. */
    public static final String CHECKPOINT_EVENT = "audit.checkpoint";

    private final Database db;
    private final Clock clock;
    private final CheckpointKey key;
    private final int every;
    private final EventOutbox outbox;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final AtomicBoolean appendedSinceCheckpoint = new AtomicBoolean();

    public AuditLog(Database db, Clock clock, CheckpointKey key, int every, EventOutbox outbox) {
        if (every < 1) {
            throw new IllegalArgumentException("audit checkpoints must come at least every so many entries, not "
                    + every);
        }
        this.db = db;
        this.clock = clock;
        this.key = key;
        this.every = every;
        this.outbox = outbox;
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
            Checkpoint[] signed = new Checkpoint[1];
            AuditEntry entry = db.inTransaction(c -> {
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
                long anchored = lastCheckpointSeq(c);
                signed[0] = seq - anchored >= every ? insertCheckpoint(c, seq, hash, anchored) : null;
                return new AuditEntry(seq, at, event, prev, hash);
            });
            if (signed[0] != null) {
                publish(signed[0]);
            } else {
                appendedSinceCheckpoint.set(true);
            }
            return entry;
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
                        return Optional.<Checkpoint>empty();
                    }
                    long seq = rs.getLong(1);
                    String hash = rs.getString(2);
                    long anchored = lastCheckpointSeq(c);
                    if (seq <= anchored) {
                        return Optional.<Checkpoint>empty();
                    }
                    return Optional.of(insertCheckpoint(c, seq, hash, anchored));
                }
            }).map(this::publish);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Anchors what this process appended since its last checkpoint, if anything: a command-line tool that wrote to
     * the log leaves it ending at a checkpoint, as a server does at shutdown. One that only read writes nothing.
     */
    public Optional<Checkpoint> checkpointOwnAppends() {
        return appendedSinceCheckpoint.get() ? checkpoint() : Optional.empty();
    }

    /** The latest checkpoint: the signed head of the log, for third parties to keep. */
    public Optional<Checkpoint> head() {
        return db.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT seq, entry_hash, at, previous_seq, every, kid,"
                    + " signature FROM audit_checkpoint ORDER BY seq DESC LIMIT 1");
                 ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(checkpoint(rs)) : Optional.<Checkpoint>empty();
            }
        });
    }

    private static long lastCheckpointSeq(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoint");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getLong(4),
                rs.getInt(5), rs.getString(6), rs.getString(7));
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

    private Checkpoint insertCheckpoint(Connection c, long seq, String hash, long previous) throws SQLException {
        Instant at = clock.instant();
        Checkpoint cp = new Checkpoint(seq, hash, at, previous, every, key.kid(),
                key.sign(Checkpoint.payload(seq, hash, at, previous, every)));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_checkpoint (seq, entry_hash, at, kid,"
                + " signature, previous_seq, every) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, seq);
            s.setString(2, hash);
            s.setString(3, at.toString());
            s.setString(4, cp.kid());
            s.setString(5, cp.signature());
            s.setLong(6, previous);
            s.setInt(7, every);
            s.executeUpdate();
        }
        // in the checkpoint's own transaction: the event exists exactly when the checkpoint does
        outbox.append(EventOutbox.Event.of(CHECKPOINT_EVENT, "", cp.toJson(), at));
        return cp;
    }

    /**
     * Once committed, the signed head leaves the database: whoever keeps these log lines can later prove a
     * truncation or rewrite of everything up to it ({@code audit verify --head}).
     */
    private Checkpoint publish(Checkpoint cp) {
        appendedSinceCheckpoint.set(false);
        LOG.atInfo().addKeyValue("seq", cp.seq()).addKeyValue("head", new String(Json.write(cp.toJson()),
                StandardCharsets.UTF_8)).log("audit checkpoint signed");
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
            // "auth" and "auth." both mean every auth.* action; "auth.login" is that action and any under it
            String prefix = v.endsWith(".") ? v : v + ".";
            sql.append(" AND (action = ? OR substr(action, 1, ?) = ?)");
            args.add(v);
            args.add(prefix.length());
            args.add(prefix);
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
            try (PreparedStatement s = c.prepareStatement("SELECT seq, entry_hash, at, previous_seq, every, kid,"
                    + " signature FROM audit_checkpoint ORDER BY seq");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(checkpoint(rs));
                }
            }
            return out;
        });
    }

    /** Verifies the live log against its checkpoints and the checkpoint key. */
    public AuditVerifier.Report verify() {
        return verify(Optional.empty());
    }

    /** Verifies the live log, and that it still holds the signed {@code head} someone kept outside the database. */
    public AuditVerifier.Report verify(Optional<Checkpoint> head) {
        return AuditVerifier.verify(entries(), checkpoints(), Optional.of(key.publicKey()), head, every);
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
