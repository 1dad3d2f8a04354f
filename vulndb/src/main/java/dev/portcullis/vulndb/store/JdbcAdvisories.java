package dev.portcullis.vulndb.store;

import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.match.AdvisoryLookup;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.PackageKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisories read from the database by package key. Each lookup is one indexed query; which ecosystems have data
 * is cached for the life of this object, which callers create per scan or per re-match.
 */
public final class JdbcAdvisories implements AdvisoryLookup {
    private final Database db;
    private final Map<String, Boolean> covered = new ConcurrentHashMap<>();

    public JdbcAdvisories(Database db) {
        this.db = db;
    }

    @Override
    public List<Advisory> advisories(PackageKey key) {
        return db.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT a.document FROM vulndb_affected f"
                    + " JOIN vulndb_advisory a ON a.feed = f.feed AND a.id = f.advisory_id"
                    + " WHERE f.ecosystem = ? AND f.package = ? ORDER BY a.feed, a.id")) {
                q.setString(1, key.ecosystem());
                q.setString(2, key.name());
                List<Advisory> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(AdvisoryCodec.decode(rs.getString(1)));
                    }
                }
                return out;
            }
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
