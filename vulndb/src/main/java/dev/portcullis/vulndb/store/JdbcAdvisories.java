package dev.portcullis.vulndb.store;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.match.AdvisoryLookup;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.PackageKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisories read from the database by package key. Each lookup is one indexed query, decoded advisories come from
 * a cache shared per database; which ecosystems have data is cached for the life of this object, which callers
 * create per scan or per re-match.
 */
public final class JdbcAdvisories implements AdvisoryLookup {
    private final Database db;
    private final AdvisoryCache cache;
    private final Map<String, Boolean> covered = new ConcurrentHashMap<>();

    public JdbcAdvisories(Database db, AdvisoryCache cache) {
        this.db = db;
        this.cache = cache;
    }

    @Override
    public List<Advisory> advisories(PackageKey key) {
        return advisories(Set.of(key)).get(key);
    }

    /** Reads the index and hashes first; documents are fetched and decoded only for advisories not cached. */
    @Override
    public Map<PackageKey, List<Advisory>> advisories(Set<PackageKey> keys) {
        if (keys.isEmpty()) {
            return Map.of(); // an inventory without packages opens no connection
        }
        return db.read(c -> {
            Map<PackageKey, List<Advisory>> out = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT a.feed, a.id, a.hash FROM vulndb_affected f"
                    + " JOIN vulndb_advisory a ON a.feed = f.feed AND a.id = f.advisory_id"
                    + " WHERE f.ecosystem = ? AND f.package = ? ORDER BY a.feed, a.id");
                 PreparedStatement doc = c.prepareStatement(
                         "SELECT document FROM vulndb_advisory WHERE feed = ? AND id = ?")) {
                for (PackageKey key : keys) {
                    List<Advisory> found = new ArrayList<>();
                    q.setString(1, key.ecosystem());
                    q.setString(2, key.name());
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            String hash = rs.getString(3);
                            Advisory a = cache.get(hash);
                            if (a == null) {
                                doc.setString(1, rs.getString(1));
                                doc.setString(2, rs.getString(2));
                                try (ResultSet d = doc.executeQuery()) {
                                    if (!d.next()) {
                                        continue;
                                    }
                                    a = AdvisoryCodec.decodeStored(d.getBytes(1));
                                }
                                cache.put(hash, a);
                            }
                            found.add(a);
                        }
                    }
                    out.put(key, found);
                }
            }
            return out;
        });
    }

    @Override
    public boolean covers(String ecosystem) {
        return covered.computeIfAbsent(ecosystem, e -> db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT 1 FROM vulndb_affected WHERE ecosystem = ? LIMIT 1")) {
                q.setString(1, e);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        }));
    }
}
