package dev.portcullis.vulndb.store;

import dev.portcullis.vulndb.feed.AdvisorySink;
import dev.portcullis.vulndb.feed.Feed;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.PackageKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes one import into the database inside the caller's transaction. An unchanged record (same content hash) is
 * not rewritten; a snapshot feed loses the records its new snapshot no longer has. The package keys of every
 * added, changed or removed advisory are collected, so that re-matching touches only those packages.
 */
public final class StoreImport implements AdvisorySink {

    /** Counts of one feed in one import. */
    public record FeedCounts(int added, int updated, int unchanged, int removed) {
    }

    private static final class FeedState {
        final Feed feed;
        final Map<String, String> previous;
        final Set<String> seen = new HashSet<>();
        int added;
        int updated;
        int unchanged;
        int removed;
        Instant asOf;
        String source;

        FeedState(Feed feed, Map<String, String> previous) {
            this.feed = feed;
            this.previous = previous;
        }
    }

    private final Connection c;
    private final String source;
    private final Map<String, FeedState> feeds = new LinkedHashMap<>();
    private final Set<PackageKey> changed = new LinkedHashSet<>();
    private final PreparedStatement insertAdvisory;
    private final PreparedStatement insertAffected;
    /** Inserts are sent in batches; a delete flushes first, so it always sees every earlier insert. */
    private static final int BATCH = 1000;
    private int pending;

    public StoreImport(Connection connection, String source) throws SQLException {
        this.c = connection;
        this.source = source;
        this.insertAdvisory = c.prepareStatement(
                "INSERT INTO vulndb_advisory (feed, id, hash, document) VALUES (?, ?, ?, ?)");
        this.insertAffected = c.prepareStatement("INSERT INTO vulndb_affected (feed, advisory_id, ecosystem, package)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
    }

    @Override
    public void begin(Feed feed) {
        if (feeds.containsKey(feed.name())) {
            return;
        }
        Map<String, String> previous = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, hash FROM vulndb_advisory WHERE feed = ?")) {
            q.setString(1, feed.name());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    previous.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading feed " + feed.name(), e);
        }
        feeds.put(feed.name(), new FeedState(feed, previous));
    }

    @Override
    public void accept(Feed feed, Advisory advisory) {
        begin(feed);
        FeedState state = feeds.get(feed.name());
        byte[] encoded = AdvisoryCodec.bytes(advisory);
        String hash = AdvisoryCodec.hash(encoded);
        String old = state.previous.get(advisory.id());
        boolean firstThisImport = state.seen.add(advisory.id());
        if (hash.equals(old) && firstThisImport) {
            state.unchanged++;
            return;
        }
        try {
            if (old != null || !firstThisImport) {
                delete(feed.name(), advisory.id());
                state.updated += firstThisImport ? 1 : 0;
            } else {
                state.added++;
            }
            insertAdvisory.setString(1, feed.name());
            insertAdvisory.setString(2, advisory.id());
            insertAdvisory.setString(3, hash);
            insertAdvisory.setBytes(4, AdvisoryCodec.deflate(encoded));
            insertAdvisory.addBatch();
            for (Affected a : advisory.affected()) {
                insertAffected.setString(1, feed.name());
                insertAffected.setString(2, advisory.id());
                insertAffected.setString(3, a.ecosystem());
                insertAffected.setString(4, a.name());
                insertAffected.addBatch();
                changed.add(new PackageKey(a.ecosystem(), a.name()));
            }
            if (++pending >= BATCH) {
                flush();
            }
            state.previous.put(advisory.id(), hash);
        } catch (SQLException e) {
            throw new StoreException("writing " + feed.name() + " " + advisory.id(), e);
        }
    }

    @Override
    public void withdrawn(Feed feed, String id) {
        begin(feed);
        FeedState state = feeds.get(feed.name());
        if (state.previous.remove(id) != null) {
            try {
                delete(feed.name(), id);
            } catch (SQLException e) {
                throw new StoreException("removing " + feed.name() + " " + id, e);
            }
            state.removed++;
        }
    }

    /**
     * Keeps a feed's original import time and source instead of this import's: a bundle carries data as old as
     * its source's last import, and staleness must say so.
     */
    public void asOf(String feed, Instant lastImport, String originalSource) {
        FeedState state = feeds.get(feed);
        state.asOf = lastImport;
        state.source = originalSource;
    }

    /** Removes what snapshot feeds no longer carry and records each feed's state; returns counts per feed. */
    public Map<String, FeedCounts> finish(Instant now) {
        Map<String, FeedCounts> out = new LinkedHashMap<>();
        try {
            flush();
            for (FeedState state : feeds.values()) {
                if (state.feed.snapshot()) {
                    for (String id : Set.copyOf(state.previous.keySet())) {
                        if (!state.seen.contains(id)) {
                            delete(state.feed.name(), id);
                            state.previous.remove(id);
                            state.removed++;
                        }
                    }
                }
                try (PreparedStatement u = c.prepareStatement("INSERT INTO vulndb_feed (name, format, source, records,"
                        + " last_import) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET format = excluded.format,"
                        + " source = excluded.source, records = excluded.records, last_import = excluded.last_import")) {
                    u.setString(1, state.feed.name());
                    u.setString(2, state.feed.format());
                    u.setString(3, state.source != null ? state.source : source);
                    u.setLong(4, state.previous.size());
                    u.setString(5, (state.asOf != null ? state.asOf : now).toString());
                    u.executeUpdate();
                }
                out.put(state.feed.name(), new FeedCounts(state.added, state.updated, state.unchanged, state.removed));
            }
            insertAdvisory.close();
            insertAffected.close();
        } catch (SQLException e) {
            throw new StoreException("finishing import", e);
        }
        return out;
    }

    /** Packages whose advisories were added, changed or removed by this import. */
    public Set<PackageKey> changedPackages() {
        return Set.copyOf(changed);
    }

    private void flush() throws SQLException {
        if (pending > 0) {
            insertAdvisory.executeBatch();
            insertAffected.executeBatch();
            pending = 0;
        }
    }

    private void delete(String feed, String id) throws SQLException {
        flush();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT ecosystem, package FROM vulndb_affected WHERE feed = ? AND advisory_id = ?")) {
            q.setString(1, feed);
            q.setString(2, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    changed.add(new PackageKey(rs.getString(1), rs.getString(2)));
                }
            }
        }
        for (String table : new String[] {"vulndb_affected WHERE feed = ? AND advisory_id = ?",
            "vulndb_advisory WHERE feed = ? AND id = ?"}) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM " + table)) {
                d.setString(1, feed);
                d.setString(2, id);
                d.executeUpdate();
            }
        }
    }
}
