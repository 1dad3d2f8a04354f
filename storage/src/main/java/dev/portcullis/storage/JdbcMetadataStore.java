package dev.portcullis.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry metadata in SQL. The statements are written in the subset SQLite and PostgreSQL share
 * ({@code ON CONFLICT}, no vendor functions), so one class serves both dialects.
 */
public final class JdbcMetadataStore implements MetadataStore {
    /** The event a stored manifest that queues a scan writes with its scan job, in the same transaction. */
    public static final String IMAGE_PUSHED = "image.pushed";

    private final Database db;
    private final Clock clock;

    public JdbcMetadataStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        db.migrate("registry");
    }

    private long now() {
        return clock.millis();
    }

    private long repositoryId(Connection c, RepositoryName repository) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO repositories (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, repository.value());
            insert.setLong(2, now());
            insert.executeUpdate();
        }
        return findRepositoryId(c, repository).orElseThrow();
    }

    private static Optional<Long> findRepositoryId(Connection c, RepositoryName repository) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM repositories WHERE name = ?")) {
            q.setString(1, repository.value());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void linkBlob(RepositoryName repository, Digest blob, long size) {
        db.inTransaction(c -> {
            long repo = repositoryId(c, repository);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO repository_blobs (repository_id, digest, size,"
                    + " created_at) VALUES (?, ?, ?, ?) ON CONFLICT (repository_id, digest) DO NOTHING")) {
                s.setLong(1, repo);
                s.setString(2, blob.toString());
                s.setLong(3, size);
                s.setLong(4, now());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Long> linkedBlobSize(RepositoryName repository, Digest blob) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT b.size FROM repository_blobs b JOIN repositories r"
                    + " ON r.id = b.repository_id WHERE r.name = ? AND b.digest = ?")) {
                q.setString(1, repository.value());
                q.setString(2, blob.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean unlinkBlob(RepositoryName repository, Digest blob) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM repository_blobs WHERE digest = ? AND"
                    + " repository_id = (SELECT id FROM repositories WHERE name = ?)")) {
                s.setString(1, blob.toString());
                s.setString(2, repository.value());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean isBlobInUse(Digest blob) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM repository_blobs WHERE digest = ? UNION ALL"
                    + " SELECT 1 FROM manifest_references WHERE child_digest = ? AND kind = 'blob' LIMIT 1")) {
                q.setString(1, blob.toString());
                q.setString(2, blob.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public void putManifest(RepositoryName repository, StoredManifest m, List<Digest> blobReferences,
                            List<Digest> manifestReferences, Optional<String> tag, boolean queueScan) {
        db.inTransaction(c -> {
            long repo = repositoryId(c, repository);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO manifests (repository_id, digest, media_type,"
                    + " artifact_type, subject, annotations, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (repository_id, digest) DO NOTHING")) {
                s.setLong(1, repo);
                s.setString(2, m.digest().toString());
                s.setString(3, m.mediaType());
                setNullableString(s, 4, m.artifactType());
                setNullableString(s, 5, m.subject() == null ? null : m.subject().toString());
                setNullableString(s, 6, m.annotations().isEmpty() ? null : toJson(m.annotations()));
                s.setBytes(7, m.content());
                s.setLong(8, m.createdAt().toEpochMilli());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO manifest_references (repository_id,"
                    + " manifest_digest, child_digest, kind) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (Digest d : blobReferences) {
                    addReference(s, repo, m.digest(), d, "blob");
                }
                for (Digest d : manifestReferences) {
                    addReference(s, repo, m.digest(), d, "manifest");
                }
                s.executeBatch();
            }
            if (tag.isPresent()) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO tags (repository_id, name, digest,"
                        + " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (repository_id, name) DO UPDATE SET"
                        + " digest = excluded.digest, updated_at = excluded.updated_at")) {
                    s.setLong(1, repo);
                    s.setString(2, tag.get());
                    s.setString(3, m.digest().toString());
                    s.setLong(4, now());
                    s.executeUpdate();
                }
            }
            if (queueScan) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO scan_jobs (repository, digest, tag, state,"
                        + " attempts, not_before, created_at, updated_at) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)")) {
                    s.setString(1, repository.value());
                    s.setString(2, m.digest().toString());
                    setNullableString(s, 3, tag.orElse(null));
                    s.setLong(4, now());
                    s.setLong(5, now());
                    s.setLong(6, now());
                    s.executeUpdate();
                }
                ObjectNode data = Json.object().put("mediaType", m.mediaType()).put("size", m.size());
                EventOutbox.insert(c, EventOutbox.Event.ofImage(IMAGE_PUSHED,
                        Namespace.of(repository).team().orElse(""), repository, tag, m.digest(), data,
                        Instant.ofEpochMilli(now())));
            }
            return null;
        });
    }

    @Override
    public boolean promote(RepositoryName from, Digest digest, RepositoryName to, Optional<String> tag) {
        return db.inTransaction(c -> {
            Optional<Long> source = findRepositoryId(c, from);
            if (source.isEmpty() || !holds(c, source.get(), digest)) {
                return false;
            }
            long target = repositoryId(c, to);
            if (!copyManifest(c, source.get(), target, digest, 0)) {
                return false;
            }
            if (tag.isPresent()) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO tags (repository_id, name, digest,"
                        + " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (repository_id, name) DO UPDATE SET"
                        + " digest = excluded.digest, updated_at = excluded.updated_at")) {
                    s.setLong(1, target);
                    s.setString(2, tag.get());
                    s.setString(3, digest.toString());
                    s.setLong(4, now());
                    s.executeUpdate();
                }
            }
            return true;
        });
    }

    private static boolean holds(Connection c, long repository, Digest digest) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT 1 FROM manifests WHERE repository_id = ? AND digest = ?")) {
            q.setLong(1, repository);
            q.setString(2, digest.toString());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Copies one manifest row, its references and its blob links; child manifests first (an index's platforms). */
    private boolean copyManifest(Connection c, long source, long target, Digest digest, int depth) throws SQLException {
        if (depth > 8) {
            throw new StorageException("manifest " + digest + " nests indexes more than 8 deep");
        }
        List<Digest> children = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT child_digest FROM manifest_references"
                + " WHERE repository_id = ? AND manifest_digest = ? AND kind = 'manifest'")) {
            q.setLong(1, source);
            q.setString(2, digest.toString());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    children.add(Digest.parse(rs.getString(1)));
                }
            }
        }
        for (Digest child : children) {
            // A listed child that is not a manifest of the source (a descriptor of another media type) is skipped.
            copyManifest(c, source, target, child, depth + 1);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO manifests (repository_id, digest, media_type,"
                + " artifact_type, subject, annotations, content, created_at) SELECT ?, digest, media_type,"
                + " artifact_type, subject, annotations, content, created_at FROM manifests"
                + " WHERE repository_id = ? AND digest = ? ON CONFLICT (repository_id, digest) DO NOTHING")) {
            s.setLong(1, target);
            s.setLong(2, source);
            s.setString(3, digest.toString());
            s.executeUpdate();
        }
        if (!holds(c, target, digest)) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO manifest_references (repository_id,"
                + " manifest_digest, child_digest, kind) SELECT ?, manifest_digest, child_digest, kind"
                + " FROM manifest_references WHERE repository_id = ? AND manifest_digest = ? ON CONFLICT DO NOTHING")) {
            s.setLong(1, target);
            s.setLong(2, source);
            s.setString(3, digest.toString());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO repository_blobs (repository_id, digest, size,"
                + " created_at) SELECT ?, b.digest, b.size, ? FROM repository_blobs b JOIN manifest_references r"
                + " ON r.repository_id = b.repository_id AND r.child_digest = b.digest WHERE b.repository_id = ?"
                + " AND r.manifest_digest = ? AND r.kind = 'blob' ON CONFLICT (repository_id, digest) DO NOTHING")) {
            s.setLong(1, target);
            s.setLong(2, now());
            s.setLong(3, source);
            s.setString(4, digest.toString());
            s.executeUpdate();
        }
        return true;
    }

    private static void addReference(PreparedStatement s, long repo, Digest manifest, Digest child, String kind)
            throws SQLException {
        s.setLong(1, repo);
        s.setString(2, manifest.toString());
        s.setString(3, child.toString());
        s.setString(4, kind);
        s.addBatch();
    }

    private static final String MANIFEST_COLUMNS =
            "m.digest, m.media_type, m.content, m.artifact_type, m.subject, m.annotations, m.created_at";

    private static StoredManifest readManifest(ResultSet rs) throws SQLException {
        String subject = rs.getString(5);
        return new StoredManifest(Digest.parse(rs.getString(1)), rs.getString(2), rs.getBytes(3), rs.getString(4),
                subject == null ? null : Digest.parse(subject), fromJson(rs.getString(6)),
                Instant.ofEpochMilli(rs.getLong(7)));
    }

    @Override
    public Optional<StoredManifest> manifest(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + MANIFEST_COLUMNS + " FROM manifests m JOIN"
                    + " repositories r ON r.id = m.repository_id WHERE r.name = ? AND m.digest = ?")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(readManifest(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean hasManifest(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM manifests m JOIN repositories r"
                    + " ON r.id = m.repository_id WHERE r.name = ? AND m.digest = ?")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Optional<Digest> tag(RepositoryName repository, String tag) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT t.digest FROM tags t JOIN repositories r"
                    + " ON r.id = t.repository_id WHERE r.name = ? AND t.name = ?")) {
                q.setString(1, repository.value());
                q.setString(2, tag);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Optional<StoredManifest> taggedManifest(RepositoryName repository, String tag) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + MANIFEST_COLUMNS + " FROM tags t"
                    + " JOIN repositories r ON r.id = t.repository_id JOIN manifests m ON m.repository_id ="
                    + " t.repository_id AND m.digest = t.digest WHERE r.name = ? AND t.name = ?")) {
                q.setString(1, repository.value());
                q.setString(2, tag);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(readManifest(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean deleteManifest(RepositoryName repository, Digest digest) {
        return db.inTransaction(c -> {
            Optional<Long> repo = findRepositoryId(c, repository);
            if (repo.isEmpty()) {
                return false;
            }
            for (String table : List.of("tags", "manifest_references")) {
                String column = table.equals("tags") ? "digest" : "manifest_digest";
                try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE repository_id = ?"
                        + " AND " + column + " = ?")) {
                    s.setLong(1, repo.get());
                    s.setString(2, digest.toString());
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM manifests WHERE repository_id = ? AND digest = ?")) {
                s.setLong(1, repo.get());
                s.setString(2, digest.toString());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean deleteTag(RepositoryName repository, String tag) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM tags WHERE name = ? AND"
                    + " repository_id = (SELECT id FROM repositories WHERE name = ?)")) {
                s.setString(1, tag);
                s.setString(2, repository.value());
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<String> tags(RepositoryName repository, Optional<String> last, int limit) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT t.name FROM tags t JOIN repositories r"
                    + " ON r.id = t.repository_id WHERE r.name = ? AND t.name > ? ORDER BY t.name LIMIT ?")) {
                q.setString(1, repository.value());
                q.setString(2, last.orElse(""));
                q.setInt(3, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<String> tagsOf(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT t.name FROM tags t JOIN repositories r"
                    + " ON r.id = t.repository_id WHERE r.name = ? AND t.digest = ? ORDER BY t.name")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                List<String> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean repositoryExists(RepositoryName repository) {
        return db.read(c -> findRepositoryId(c, repository).isPresent());
    }

    @Override
    public List<RepositoryName> repositories(Optional<String> last, int limit) {
        return db.read(c -> {
            // A repository is listed once it holds a manifest: blobs alone do not make it visible.
            try (PreparedStatement q = c.prepareStatement("SELECT r.name FROM repositories r WHERE r.name > ? AND"
                    + " EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = r.id) ORDER BY r.name LIMIT ?")) {
                q.setString(1, last.orElse(""));
                q.setInt(2, limit);
                List<RepositoryName> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(RepositoryName.of(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<StoredManifest> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        return db.read(c -> {
            String sql = "SELECT " + MANIFEST_COLUMNS + " FROM manifests m JOIN repositories r ON r.id ="
                    + " m.repository_id WHERE r.name = ? AND m.subject = ?"
                    + (artifactType.isPresent() ? " AND m.artifact_type = ?" : "") + " ORDER BY m.digest";
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setString(1, repository.value());
                q.setString(2, subject.toString());
                if (artifactType.isPresent()) {
                    q.setString(3, artifactType.get());
                }
                List<StoredManifest> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readManifest(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void createUpload(UploadSession session) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO upload_sessions (id, repository, started_at) VALUES (?, ?, ?)")) {
                s.setString(1, session.id());
                s.setString(2, session.repository().value());
                s.setLong(3, session.startedAt().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<UploadSession> upload(String id) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, repository, started_at FROM upload_sessions WHERE id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(readUpload(rs)) : Optional.empty();
                }
            }
        });
    }

    private static UploadSession readUpload(ResultSet rs) throws SQLException {
        return new UploadSession(rs.getString(1), RepositoryName.of(rs.getString(2)),
                Instant.ofEpochMilli(rs.getLong(3)));
    }

    @Override
    public boolean deleteUpload(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM upload_sessions WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<UploadSession> uploadsStartedBefore(Instant cutoff) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, repository, started_at FROM upload_sessions WHERE started_at < ? ORDER BY started_at")) {
                q.setLong(1, cutoff.toEpochMilli());
                List<UploadSession> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readUpload(rs));
                    }
                }
                return out;
            }
        });
    }

    private static void setNullableString(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    private static String toJson(Map<String, String> map) {
        ObjectNode node = Json.object();
        map.forEach(node::put);
        return new String(Json.write(node), StandardCharsets.UTF_8);
    }

    private static Map<String, String> fromJson(String json) {
        if (json == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode node = Json.parse(json.getBytes(StandardCharsets.UTF_8));
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
