package dev.portcullis.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Owner;
import dev.portcullis.policy.PolicyDocument;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.PolicyJson;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The gate's tables: image states with their subjects and verdicts, policy versions, exceptions and break-glass
 * overrides. Every method is one transaction, or joins the caller's ({@link Database#inTransaction}), which is how a
 * verdict commits together with its promotion and audit entry.
 */
final class GateStore {
    private static final String IMAGE_COLUMNS = "repository, digest, kind, state, team, platform, subject, verdict,"
            + " children, policy_versions, db_snapshot, scanner, error, judged_at, updated_at";

    private final Database db;
    private final Clock clock;

    GateStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        db.migrate("gate");
    }

    // ---- images ------------------------------------------------------------------------------------------------

    /** A row of {@code gate_images} as stored (tags and pending jobs are added by the gate). */
    record ImageRow(RepositoryName repository, Digest digest, boolean index, ImageState state, String team,
                    String platform, Subject subject, Verdict verdict, List<GateImage.Child> children,
                    String policyVersions, String dbSnapshot, String scanner, String error, Instant judgedAt,
                    Instant updatedAt) {
    }

    /** Marks an image as being scanned; a verdict it already has stays until the new one replaces it. */
    void scanning(RepositoryName repository, Digest digest, boolean index, String team) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_images (repository, digest, kind, state,"
                    + " team, updated_at) VALUES (?, ?, ?, 'scanning', ?, ?) ON CONFLICT (repository, digest) DO"
                    + " UPDATE SET state = 'scanning', updated_at = excluded.updated_at")) {
                s.setString(1, repository.value());
                s.setString(2, digest.toString());
                s.setString(3, index ? "index" : "image");
                s.setString(4, team);
                s.setLong(5, now);
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Stores the verdict of a single-platform image with the subject it was made from. */
    void judged(RepositoryName repository, Digest digest, String team, String platform, Subject subject,
                Verdict verdict, ImageState state, String policyVersions, String dbSnapshot, String scanner) {
        upsert(repository, digest, "image", state, team, platform, text(PolicyJson.subject(subject)),
                text(PolicyJson.verdict(verdict)), null, policyVersions, dbSnapshot, scanner, null,
                verdict.evaluatedAt().toEpochMilli());
    }

    /** Stores the outcome of an index: promoted exactly when every platform was. */
    void judgedIndex(RepositoryName repository, Digest digest, String team, List<GateImage.Child> children,
                     ImageState state, String policyVersions, String dbSnapshot, String scanner) {
        ArrayNode list = Json.mapper().createArrayNode();
        for (GateImage.Child ch : children) {
            list.addObject().put("digest", ch.digest().toString()).put("platform", ch.platform())
                    .put("state", ch.state().id());
        }
        upsert(repository, digest, "index", state, team, null, null, null, text(list), policyVersions, dbSnapshot,
                scanner, null, clock.millis());
    }

    /** Records that an image could not be judged, and why; it is never promoted. */
    void failed(RepositoryName repository, Digest digest, boolean index, String team, String why) {
        upsert(repository, digest, index ? "index" : "image", ImageState.ERROR, team, null, null, null, null, null,
                null, null, why, clock.millis());
    }

    private void upsert(RepositoryName repository, Digest digest, String kind, ImageState state, String team,
                        String platform, String subject, String verdict, String children, String policyVersions,
                        String dbSnapshot, String scanner, String error, long judgedAt) {
        long now = clock.millis();
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_images (" + IMAGE_COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (repository, digest) DO UPDATE SET"
                    + " kind = excluded.kind, state = excluded.state, platform = excluded.platform,"
                    + " subject = COALESCE(excluded.subject, gate_images.subject), verdict = excluded.verdict,"
                    + " children = excluded.children, policy_versions = excluded.policy_versions,"
                    + " db_snapshot = excluded.db_snapshot, scanner = excluded.scanner, error = excluded.error,"
                    + " judged_at = excluded.judged_at, updated_at = excluded.updated_at")) {
                s.setString(1, repository.value());
                s.setString(2, digest.toString());
                s.setString(3, kind);
                s.setString(4, state.id());
                s.setString(5, team);
                nullable(s, 6, platform);
                nullable(s, 7, subject);
                nullable(s, 8, verdict);
                nullable(s, 9, children);
                nullable(s, 10, policyVersions);
                nullable(s, 11, dbSnapshot);
                nullable(s, 12, scanner);
                nullable(s, 13, error);
                s.setLong(14, judgedAt);
                s.setLong(15, now);
                s.executeUpdate();
            }
            return null;
        });
    }

    Optional<ImageRow> image(RepositoryName repository, Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM gate_images WHERE"
                    + " repository = ? AND digest = ?")) {
                q.setString(1, repository.value());
                q.setString(2, digest.toString());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(readImage(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The images with {@code digest}, in any repository (a break-glass names a digest only). */
    List<ImageRow> imagesWithDigest(Digest digest) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM gate_images WHERE"
                    + " digest = ? ORDER BY repository")) {
                q.setString(1, digest.toString());
                List<ImageRow> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readImage(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Images, optionally of one team and one state, in repository and digest order, from {@code offset}. */
    List<ImageRow> images(Optional<String> team, Optional<ImageState> state, int offset, int limit) {
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + IMAGE_COLUMNS + " FROM gate_images WHERE 1 = 1");
            team.ifPresent(t -> sql.append(" AND team = ?"));
            state.ifPresent(t -> sql.append(" AND state = ?"));
            sql.append(" ORDER BY repository, digest LIMIT ? OFFSET ?");
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (team.isPresent()) {
                    q.setString(i++, team.get());
                }
                if (state.isPresent()) {
                    q.setString(i++, state.get().id());
                }
                q.setInt(i++, limit);
                q.setInt(i, offset);
                List<ImageRow> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readImage(rs));
                    }
                }
                return out;
            }
        });
    }

    /** Every judged single-platform image (with its subject): what re-judging and dry runs work from. */
    Iterable<ImageRow> judgedImages() {
        return () -> new JudgedPages(JUDGED_PAGE);
    }

    /** How many stored subjects {@link #judgedImages()} holds in memory at once. */
    static final int JUDGED_PAGE = 200;

    /**
     * Walks the judged images a page at a time, by key (repository, digest), so a dry run or a re-judgement over
     * 100,000 stored subjects holds one page of them, not all; each page is its own short read, so no connection or
     * snapshot is held while the caller evaluates.
     */
    private final class JudgedPages implements java.util.Iterator<ImageRow> {
        private final int size;
        private java.util.Iterator<ImageRow> page = java.util.Collections.emptyIterator();
        private ImageRow last;
        private boolean exhausted;

        JudgedPages(int size) {
            this.size = size;
        }

        @Override
        public boolean hasNext() {
            if (!page.hasNext() && !exhausted) {
                List<ImageRow> next = judgedPage(last, size);
                exhausted = next.size() < size;
                page = next.iterator();
            }
            return page.hasNext();
        }

        @Override
        public ImageRow next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            last = page.next();
            return last;
        }
    }

    private List<ImageRow> judgedPage(ImageRow after, int size) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM gate_images WHERE"
                    + " kind = 'image' AND subject IS NOT NULL AND verdict IS NOT NULL"
                    + (after == null ? "" : " AND (repository > ? OR (repository = ? AND digest > ?))")
                    + " ORDER BY repository, digest LIMIT ?")) {
                int i = 1;
                if (after != null) {
                    q.setString(i++, after.repository().value());
                    q.setString(i++, after.repository().value());
                    q.setString(i++, after.digest().toString());
                }
                q.setInt(i, size);
                List<ImageRow> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readImage(rs));
                    }
                }
                return out;
            }
        });
    }

    /** The indexes of {@code repository} that list {@code child} among their platforms. */
    List<ImageRow> indexesWith(RepositoryName repository, Digest child) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + IMAGE_COLUMNS + " FROM gate_images WHERE"
                    + " repository = ? AND kind = 'index' AND children LIKE ?")) {
                q.setString(1, repository.value());
                q.setString(2, "%" + child + "%");
                List<ImageRow> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(readImage(rs));
                    }
                }
                return out;
            }
        });
    }

    private static ImageRow readImage(ResultSet rs) throws SQLException {
        String subject = rs.getString(7);
        String verdict = rs.getString(8);
        String children = rs.getString(9);
        long judged = rs.getLong(14);
        boolean wasJudged = !rs.wasNull();
        List<GateImage.Child> kids = new ArrayList<>();
        if (children != null) {
            for (JsonNode n : Json.parse(children.getBytes(StandardCharsets.UTF_8))) {
                kids.add(new GateImage.Child(Digest.parse(n.path("digest").asText()), n.path("platform").asText(),
                        ImageState.ofId(n.path("state").asText())));
            }
        }
        return new ImageRow(RepositoryName.of(rs.getString(1)), Digest.parse(rs.getString(2)),
                "index".equals(rs.getString(3)), ImageState.ofId(rs.getString(4)), rs.getString(5), rs.getString(6),
                subject == null ? null : PolicyJson.readSubject(json(subject)),
                verdict == null ? null : PolicyJson.readVerdict(json(verdict)), kids, rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13),
                wasJudged ? Instant.ofEpochMilli(judged) : null, Instant.ofEpochMilli(rs.getLong(15)));
    }

    // ---- policies ----------------------------------------------------------------------------------------------

    /** One stored version of a policy document. */
    record StoredPolicy(PolicyDocument document, String author, Instant createdAt, Integer previousVersion) {
    }

    /** The newest stored version of {@code owner}'s document. */
    Optional<StoredPolicy> currentPolicy(Owner owner) {
        return policies(owner, "ORDER BY version DESC LIMIT 1", null).stream().findFirst();
    }

    Optional<StoredPolicy> policyVersion(Owner owner, int version) {
        return policies(owner, "AND version = ?", version).stream().findFirst();
    }

    /** Every version of {@code owner}'s document, newest first. */
    List<StoredPolicy> policyHistory(Owner owner) {
        return policies(owner, "ORDER BY version DESC", null);
    }

    /** The owners with a stored document other than the organisation: the teams that tightened the floor. */
    List<Owner> teamOwners() {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT owner FROM gate_policies WHERE owner <> ?"
                    + " ORDER BY owner")) {
                q.setString(1, Owner.ORGANISATION);
                List<Owner> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(Owner.ofKey(rs.getString(1)));
                    }
                }
                return out;
            }
        });
    }

    private List<StoredPolicy> policies(Owner owner, String tail, Integer version) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT document, author, created_at, previous_version"
                    + " FROM gate_policies WHERE owner = ? " + tail)) {
                q.setString(1, owner.key());
                if (version != null) {
                    q.setInt(2, version);
                }
                List<StoredPolicy> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        int previous = rs.getInt(4);
                        Integer prev = rs.wasNull() ? null : previous;
                        out.add(new StoredPolicy(PolicyDocuments.parse(rs.getString(1), owner.key() + " (stored)"),
                                rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), prev));
                    }
                }
                return out;
            }
        });
    }

    /** Stores a new version; the caller checked it is newer than the current one. */
    void savePolicy(PolicyDocument document, String author, Integer previousVersion) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_policies (owner, version, document,"
                    + " author, created_at, previous_version) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, document.owner().key());
                s.setInt(2, document.version());
                s.setString(3, PolicyDocuments.write(document));
                s.setString(4, author);
                s.setLong(5, clock.millis());
                if (previousVersion == null) {
                    s.setNull(6, Types.INTEGER);
                } else {
                    s.setInt(6, previousVersion);
                }
                s.executeUpdate();
            }
            return null;
        });
    }

    // ---- exceptions and break-glass ----------------------------------------------------------------------------

    void saveException(ExceptionGrant grant) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_exceptions (id, grant_json, created_at,"
                    + " expires_at, revoked_at, expiry_seen) VALUES (?, ?, ?, ?, NULL, 0)")) {
                s.setString(1, grant.id());
                s.setString(2, text(PolicyJson.exceptionGrant(grant)));
                s.setLong(3, grant.createdAt().toEpochMilli());
                s.setLong(4, grant.expiresAt().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** Replaces a stored exception (a revocation sets {@code revokedAt}); false when there is none with the id. */
    boolean updateException(ExceptionGrant grant) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE gate_exceptions SET grant_json = ?, revoked_at = ?"
                    + " WHERE id = ?")) {
                s.setString(1, text(PolicyJson.exceptionGrant(grant)));
                if (grant.revokedAt() == null) {
                    s.setNull(2, Types.BIGINT);
                } else {
                    s.setLong(2, grant.revokedAt().toEpochMilli());
                }
                s.setString(3, grant.id());
                return s.executeUpdate() > 0;
            }
        });
    }

    Optional<ExceptionGrant> exception(String id) {
        return exceptions("WHERE id = ?", id).stream().findFirst();
    }

    /** Every exception ever granted, oldest first (revoked and expired ones included: they are history). */
    List<ExceptionGrant> exceptions() {
        return exceptions("ORDER BY created_at, id", null);
    }

    private List<ExceptionGrant> exceptions(String tail, String id) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT grant_json FROM gate_exceptions " + tail)) {
                if (id != null) {
                    q.setString(1, id);
                }
                List<ExceptionGrant> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(PolicyJson.readExceptionGrant(json(rs.getString(1))));
                    }
                }
                return out;
            }
        });
    }

    /** Exceptions that expired by {@code now} and were not yet acted on; marks them seen (in the caller's tx). */
    List<ExceptionGrant> takeExpiredExceptions(Instant now) {
        return db.inTransaction(c -> {
            List<ExceptionGrant> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT grant_json FROM gate_exceptions WHERE expires_at <= ?"
                    + " AND expiry_seen = 0 AND revoked_at IS NULL")) {
                q.setLong(1, now.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(PolicyJson.readExceptionGrant(json(rs.getString(1))));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE gate_exceptions SET expiry_seen = 1 WHERE id = ?")) {
                for (ExceptionGrant g : out) {
                    s.setString(1, g.id());
                    s.executeUpdate();
                }
            }
            return out;
        });
    }

    void saveBreakGlass(BreakGlass grant) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO gate_break_glass (digest, grant_json, until_at,"
                    + " expiry_seen) VALUES (?, ?, ?, 0)")) {
                s.setString(1, grant.digest().toString());
                s.setString(2, text(PolicyJson.breakGlass(grant)));
                s.setLong(3, grant.until().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    /** The break-glass override active for {@code digest} at {@code now}, the one lasting longest if several. */
    Optional<BreakGlass> activeBreakGlass(Digest digest, Instant now) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT grant_json FROM gate_break_glass WHERE digest = ?"
                    + " AND until_at > ? ORDER BY until_at DESC")) {
                q.setString(1, digest.toString());
                q.setLong(2, now.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        BreakGlass b = PolicyJson.readBreakGlass(json(rs.getString(1)));
                        if (b.isActiveFor(digest, now)) {
                            return Optional.of(b);
                        }
                    }
                }
                return Optional.empty();
            }
        });
    }

    /** Every break-glass override ever granted, newest first (ended ones are history and stay listed). */
    List<BreakGlass> breakGlasses() {
        return db.read(c -> {
            List<BreakGlass> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT grant_json FROM gate_break_glass ORDER BY id DESC");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(PolicyJson.readBreakGlass(json(rs.getString(1))));
                }
            }
            return out;
        });
    }

    /** How many break-glass overrides are in force at {@code now}, over all digests. */
    int activeBreakGlassCount(Instant now) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM gate_break_glass WHERE until_at > ?")) {
                q.setLong(1, now.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** One count of {@link #stateCounts()}: images of a team in a state. */
    record StateCount(String team, ImageState state, long images) {
    }

    /** How many images each team has in each state the gate recorded. */
    List<StateCount> stateCounts() {
        return db.read(c -> {
            List<StateCount> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT team, state, COUNT(*) FROM gate_images"
                    + " GROUP BY team, state ORDER BY team, state");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new StateCount(rs.getString(1), ImageState.ofId(rs.getString(2)), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** Break-glass overrides that ended by {@code now} and were not yet acted on; marks them seen. */
    List<BreakGlass> takeExpiredBreakGlass(Instant now) {
        return db.inTransaction(c -> {
            List<BreakGlass> out = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id, grant_json FROM gate_break_glass WHERE"
                    + " until_at <= ? AND expiry_seen = 0")) {
                q.setLong(1, now.toEpochMilli());
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        out.add(PolicyJson.readBreakGlass(json(rs.getString(2))));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE gate_break_glass SET expiry_seen = 1 WHERE id = ?")) {
                for (long id : ids) {
                    s.setLong(1, id);
                    s.executeUpdate();
                }
            }
            return out;
        });
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static String text(JsonNode node) {
        return new String(Json.write(node), StandardCharsets.UTF_8);
    }

    private static void nullable(PreparedStatement s, int i, String value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.VARCHAR);
        } else {
            s.setString(i, value);
        }
    }

    static ObjectNode object() {
        return Json.object();
    }
}
