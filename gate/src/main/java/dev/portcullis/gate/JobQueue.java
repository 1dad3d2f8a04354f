package dev.portcullis.gate;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.storage.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The scan jobs (table {@code scan_jobs}, written by the registry in each push's own transaction) taken with leases.
 * On PostgreSQL a worker takes the oldest ready row with {@code FOR UPDATE SKIP LOCKED}, so nodes never wait for each
 * other nor take the same row; on SQLite, the single writer of the file, the same statement runs in an immediate
 * transaction, which serialises takers. A row is ready when queued and due, or running with an expired lease (its
 * node died): then any node takes it again.
 */
final class JobQueue {
    private static final String COLUMNS = "id, repository, digest, tag, state, attempts, lease_owner, lease_until,"
            + " last_error, created_at, updated_at";
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Database db;
    private final Clock clock;

    JobQueue(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Takes the oldest ready job for {@code owner} until {@code now + lease}, counting an attempt. */
    Optional<Job> claim(String owner, Duration lease) {
        long now = clock.millis();
        String pick = "SELECT id FROM scan_jobs WHERE (state = 'queued' AND not_before <= ?) OR (state = 'running'"
                + " AND lease_until < ?) ORDER BY id LIMIT 1"
                + (db.dialect() == Database.Dialect.POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "");
        return db.inTransaction(c -> {
            long id;
            try (PreparedStatement q = c.prepareStatement(pick)) {
                q.setLong(1, now);
                q.setLong(2, now);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE scan_jobs SET state = 'running', lease_owner = ?,"
                    + " lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?")) {
                s.setString(1, owner);
                s.setLong(2, now + lease.toMillis());
                s.setLong(3, now);
                s.setLong(4, id);
                s.executeUpdate();
            }
            return find(c, id);
        });
    }

    /** Extends the leases of {@code owner}'s running jobs; a job another node took over is not extended. */
    int renew(String owner, Duration lease) {
        long now = clock.millis();
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE scan_jobs SET lease_until = ? WHERE state ="
                    + " 'running' AND lease_owner = ?")) {
                s.setLong(1, now + lease.toMillis());
                s.setString(2, owner);
                return s.executeUpdate();
            }
        });
    }

    /**
     * Marks the job done, inside the caller's transaction when there is one (with the verdict and the promotion).
     *
     * @throws LostLease when the job is no longer {@code owner}'s: another node took it after this node's lease ran
     *     out, and that node's outcome stands (the caller's transaction rolls back)
     */
    void complete(Job job, String owner) {
        finish(job, owner, "done", null);
    }

    /**
     * Records a failed attempt: back to queued after a backoff that doubles per attempt, or {@code error} once
     * {@code maxAttempts} attempts failed.
     *
     * @return whether the job ended in error
     */
    boolean fail(Job job, String owner, String reason, int maxAttempts, Duration backoff) {
        if (job.attempts() >= maxAttempts) {
            finish(job, owner, "error", reason);
            return true;
        }
        long wait = backoff.toMillis() << Math.min(20, job.attempts() - 1);
        long notBefore = clock.millis() + Math.min(wait, MAX_BACKOFF.toMillis());
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE scan_jobs SET state = 'queued', lease_owner = NULL,"
                    + " lease_until = NULL, not_before = ?, last_error = ?, updated_at = ? WHERE id = ? AND"
                    + " lease_owner = ? AND state = 'running'")) {
                s.setLong(1, notBefore);
                s.setString(2, bounded(reason));
                s.setLong(3, clock.millis());
                s.setLong(4, job.id());
                s.setString(5, owner);
                if (s.executeUpdate() == 0) {
                    throw new LostLease(job);
                }
            }
            return null;
        });
        return false;
    }

    private void finish(Job job, String owner, String state, String reason) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE scan_jobs SET state = ?, lease_owner = NULL,"
                    + " lease_until = NULL, last_error = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND"
                    + " state = 'running'")) {
                s.setString(1, state);
                if (reason == null) {
                    s.setNull(2, Types.VARCHAR);
                } else {
                    s.setString(2, bounded(reason));
                }
                s.setLong(3, clock.millis());
                s.setLong(4, job.id());
                s.setString(5, owner);
                if (s.executeUpdate() == 0) {
                    throw new LostLease(job);
                }
            }
            return null;
        });
    }

    /** Queues a job for an image (re-judging on demand). */
    void enqueue(RepositoryName repository, Digest digest, Optional<String> tag) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO scan_jobs (repository, digest, tag, state,"
                    + " attempts, not_before, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)")) {
                s.setString(1, repository.value());
                s.setString(2, digest.toString());
                if (tag.isPresent()) {
                    s.setString(3, tag.get());
                } else {
                    s.setNull(3, Types.VARCHAR);
                }
                s.setLong(4, now);
                s.setLong(5, now);
                s.setLong(6, now);
                s.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The start-up sweep: a job for every image or index stored in an unscanned/ repository that has neither a job
     * nor a verdict (stored before the gate existed, or by a node without it). Returns how many it queued.
     */
    int sweep() {
        long now = clock.millis();
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO scan_jobs (repository, digest, tag, state,"
                    + " attempts, not_before, created_at, updated_at) SELECT r.name, m.digest, NULL, 'queued', 0, ?,"
                    + " ?, ? FROM manifests m JOIN repositories r ON r.id = m.repository_id WHERE r.name LIKE ?"
                    + " AND m.subject IS NULL AND (m.artifact_type IN (?, ?) OR (m.media_type IN (?, ?) AND"
                    + " m.artifact_type IS NULL)) AND NOT EXISTS (SELECT 1 FROM scan_jobs j WHERE j.repository ="
                    + " r.name AND j.digest = m.digest) AND NOT EXISTS (SELECT 1 FROM gate_images g WHERE"
                    + " g.repository = r.name AND g.digest = m.digest)")) {
                s.setLong(1, now);
                s.setLong(2, now);
                s.setLong(3, now);
                s.setString(4, Namespace.UNSCANNED + "/%");
                s.setString(5, MediaType.OCI_CONFIG);
                s.setString(6, MediaType.DOCKER_CONFIG);
                s.setString(7, MediaType.OCI_INDEX);
                s.setString(8, MediaType.DOCKER_MANIFEST_LIST);
                return s.executeUpdate();
            }
        });
    }

    /** Whether a job for the image waits or runs: its state for {@link Gate#image} before a verdict exists. */
    Optional<Job.State> pending(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT state FROM scan_jobs WHERE repository = ? AND"
                    + " digest = ? AND state IN ('queued', 'running') ORDER BY id DESC LIMIT 1")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(state(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Jobs newest first, optionally of one state, at most {@code limit}. */
    List<Job> list(Optional<Job.State> state, int limit) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM scan_jobs"
                    + (state.isPresent() ? " WHERE state = ?" : "") + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                if (state.isPresent()) {
                    q.setString(i++, state.get().id());
                }
                q.setInt(i, limit);
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                }
                return out;
            }
        });
    }

    private Optional<Job> find(java.sql.Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM scan_jobs WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static Job read(ResultSet rs) throws SQLException {
        long leaseUntil = rs.getLong(8);
        boolean hasLease = !rs.wasNull();
        return new Job(rs.getLong(1), RepositoryName.of(rs.getString(2)), Digest.parse(rs.getString(3)),
                Optional.ofNullable(rs.getString(4)), state(rs.getString(5)), rs.getInt(6),
                Optional.ofNullable(rs.getString(7)), hasLease ? Optional.of(Instant.ofEpochMilli(leaseUntil))
                : Optional.empty(), Optional.ofNullable(rs.getString(9)), Instant.ofEpochMilli(rs.getLong(10)),
                Instant.ofEpochMilli(rs.getLong(11)));
    }

    private static Job.State state(String id) {
        return Job.State.valueOf(id.toUpperCase(Locale.ROOT));
    }

    private static String bounded(String reason) {
        return reason.length() > 2000 ? reason.substring(0, 2000) + "…" : reason;
    }

    /** The job was taken over by another node after this node's lease ran out. */
    static final class LostLease extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostLease(Job job) {
            super("job " + job.id() + " for " + job.repository() + "@" + job.digest()
                    + " was taken over by another node after this node's lease ran out", null, false, false);
        }
    }
}
