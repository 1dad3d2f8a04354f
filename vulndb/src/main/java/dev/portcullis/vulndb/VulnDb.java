package dev.portcullis.vulndb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.bundle.Bundle;
import dev.portcullis.vulndb.feed.Feed;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.feed.FeedImporters;
import dev.portcullis.vulndb.feed.FeedReader;
import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.feed.PipelinedImport;
import dev.portcullis.vulndb.match.AdvisoryLookup;
import dev.portcullis.vulndb.match.Matcher;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.store.AdvisoryCache;
import dev.portcullis.vulndb.store.AdvisoryCodec;
import dev.portcullis.vulndb.store.JdbcAdvisories;
import dev.portcullis.vulndb.store.MavenSha1Index;
import dev.portcullis.vulndb.store.StoreImport;
import dev.portcullis.vulndb.version.VersionSchemes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vulnerability database: imports feeds from paths and URLs into the Portcullis database, updates the
 * download sources, reports its status and hands out matchers. An import is one transaction: readers keep the
 * previous state until it commits, and a failed download leaves the data as it was, with the failure recorded
 * for {@code db status}.
 */
public final class VulnDb {
    /** Decoded advisories kept in memory (about 100 MB at the size of real OSV records). */
    static final int CACHED_ADVISORIES = 50_000;
    /** Documents are parsed on these threads while the importing thread writes (one core is left to it). */
    static final int PARSE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    private final Database db;
    private final Clock clock;
    private final FeedDownloader downloader;
    private final FeedImporters importers = new FeedImporters();
    private final FeedReader reader = new FeedReader(FeedReader.Limits.DEFAULT);
    private final VersionSchemes schemes = new VersionSchemes();
    private final PublicKey trustedBundleKey;
    private final AdvisoryCache cache;

    private VulnDb(Database db, Clock clock, FeedDownloader downloader, PublicKey trustedBundleKey,
                   AdvisoryCache cache) {
        this.db = db;
        this.cache = cache;
        this.clock = clock;
        this.downloader = downloader;
        this.trustedBundleKey = trustedBundleKey;
    }

    /**
     * The schema version this code reads: the highest {@code V<n>__} migration of {@code db/migration/vulndb}
     * (a test keeps the two equal).
     */
    static final String SCHEMA_VERSION = "4";

    /** Migrates the vulndb tables of {@code db} and returns the database over them. */
    public static VulnDb open(Database db, Clock clock, FeedDownloader downloader) {
        db.migrate("vulndb");
        return new VulnDb(db, clock, downloader, null, new AdvisoryCache(CACHED_ADVISORIES));
    }

    /**
     * The database as {@code db import} left it, for reading only (status and matching): no migration, which would
     * cost a scan of the class path on every start, and no downloader. It checks that the schema is the one this
     * code reads and refuses an older one, which only an import or update may migrate (a migration can drop data).
     */
    public static VulnDb openForReading(Database db, Clock clock) {
        boolean current = db.read(c -> {
            try (ResultSet tables = c.getMetaData().getTables(null, null, "flyway_history_vulndb", null)) {
                if (!tables.next()) {
                    return false; // nothing was ever imported into this database
                }
            }
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT 1 FROM flyway_history_vulndb WHERE version = ? AND success")) {
                q.setString(1, SCHEMA_VERSION);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!current) {
            throw new FeedException("the vulnerability database has no data in the format of this version"
                    + " (schema " + SCHEMA_VERSION + "): run 'portcullis db import' or 'portcullis db update'");
        }
        return new VulnDb(db, clock, null, null, new AdvisoryCache(CACHED_ADVISORIES));
    }

    /** The same database, accepting bundles signed by {@code key}; without a trusted key bundles are refused. */
    public VulnDb trustingBundlesFrom(PublicKey key) {
        return new VulnDb(db, clock, downloader, key, cache);
    }

    /** Writes every feed to a signed offline bundle; the export reads one consistent state. */
    public void exportBundle(Path file, KeyPair keys) {
        Instant now = clock.instant();
        db.inTransaction(c -> {
            try {
                Bundle.export(c, file, keys, now);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write bundle " + file, e);
            }
            return null;
        });
    }

    /** A matcher over the current data. */
    public Matcher matcher() {
        return new Matcher(lookup(), schemes);
    }

    public AdvisoryLookup lookup() {
        return new JdbcAdvisories(db, cache);
    }

    /**
     * Imports every location (directory, file, zip, or HTTP(S) URL) in one transaction. URLs are downloaded first
     * (conditionally, when they were imported before) and registered as sources for {@link #update()}.
     */
    public ImportReport importFrom(List<String> locations) {
        Path temp = tempDir();
        try {
            Map<String, Path> paths = new LinkedHashMap<>();
            List<String> notModified = new ArrayList<>();
            Map<String, FeedDownloader.Result> downloaded = new LinkedHashMap<>();
            for (String location : locations) {
                if (location.startsWith("http://") || location.startsWith("https://")) {
                    Path file = temp.resolve("download-" + paths.size());
                    FeedDownloader.Result r = download(location, file);
                    if (r.notModified()) {
                        notModified.add(location);
                        continue;
                    }
                    downloaded.put(location, r);
                    paths.put(location, file);
                } else {
                    paths.put(location, Path.of(location));
                }
            }
            ImportProblems problems = new ImportProblems();
            Instant now = clock.instant();
            ImportReport report = db.inTransaction(c -> {
                StoreImport sink = new StoreImport(c, String.join(" ", locations));
                Map<String, StoreImport.FeedCounts> indexes = new LinkedHashMap<>();
                for (Map.Entry<String, Path> e : paths.entrySet()) {
                    if (isSha1Index(e.getValue())) {
                        indexes.put(MavenSha1Index.FEED, new StoreImport.FeedCounts(
                                importSha1Index(c, e.getValue(), e.getKey(), now, problems), 0, 0, 0));
                    } else {
                        read(e.getKey(), e.getValue(), sink, problems);
                    }
                }
                Map<String, StoreImport.FeedCounts> counts = new LinkedHashMap<>(sink.finish(now));
                counts.putAll(indexes);
                for (Map.Entry<String, FeedDownloader.Result> d : downloaded.entrySet()) {
                    recordSource(c, d.getKey(), d.getValue(), now, "");
                }
                return new ImportReport(counts, problems.malformed(), problems.skipped(), notModified,
                        sink.changedPackages());
            });
            checkpoint();
            return report;
        } finally {
            deleteTree(temp);
        }
    }

    private static boolean isSha1Index(Path path) {
        try {
            return MavenSha1Index.isIndex(path);
        } catch (IOException e) {
            throw new FeedException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static int importSha1Index(Connection c, Path path, String location, Instant now, ImportProblems problems)
            throws SQLException {
        try {
            return MavenSha1Index.importInto(c, path, location, now, problems);
        } catch (IOException e) {
            throw new FeedException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    /** Maven coordinates by SHA-1, from the imported index (empty until one is imported). */
    public MavenSha1Index mavenSha1Index() {
        return new MavenSha1Index(db);
    }

    /**
     * A large import leaves its pages in SQLite's write-ahead log; folding them back into the database file and
     * truncating the log returns that disk space instead of keeping it until the next automatic checkpoint.
     */
    private void checkpoint() {
        if (db.dialect() == Database.Dialect.SQLITE) {
            db.read(c -> {
                try (var st = c.createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
                return null;
            });
        }
    }

    /** Re-imports every registered download source, each conditionally. */
    public ImportReport update() {
        List<String> sources = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT location FROM vulndb_source ORDER BY location");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        return importFrom(sources);
    }

    public DbStatus status() {
        return db.read(c -> {
            List<DbStatus.FeedStatus> feeds = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT name, format, source, records, last_import FROM vulndb_feed ORDER BY name");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    feeds.add(new DbStatus.FeedStatus(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), Instant.parse(rs.getString(5))));
                }
            }
            List<DbStatus.SourceStatus> sources = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT location, last_attempt, last_success, last_error"
                    + " FROM vulndb_source ORDER BY location"); ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    sources.add(new DbStatus.SourceStatus(rs.getString(1), instant(rs.getString(2)),
                            instant(rs.getString(3)), rs.getString(4) == null ? "" : rs.getString(4)));
                }
            }
            return new DbStatus(feeds, sources, clock.instant());
        });
    }

    private FeedDownloader.Result download(String location, Path file) {
        String[] validators = db.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT etag, last_modified FROM vulndb_source WHERE location = ?")) {
                q.setString(1, location);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[2];
                }
            }
        });
        if (downloader == null) {
            throw new FeedException("cannot download " + location + ": the database is opened for reading");
        }
        try {
            return downloader.fetch(URI.create(location), validators[0], validators[1], file);
        } catch (FeedException | IllegalArgumentException e) {
            Instant now = clock.instant();
            db.inTransaction(c -> {
                recordSource(c, location, null, now, e.getMessage());
                return null;
            });
            throw e instanceof FeedException fe ? fe : new FeedException(e.getMessage(), e);
        }
    }

    private static void recordSource(Connection c, String location, FeedDownloader.Result result,
                                     Instant now, String error) throws SQLException {
        boolean ok = result != null;
        String sql = "INSERT INTO vulndb_source (location, etag, last_modified, last_attempt, last_success, last_error)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (location) DO UPDATE SET last_attempt = excluded.last_attempt,"
                + " last_error = excluded.last_error"
                + (ok ? ", etag = excluded.etag, last_modified = excluded.last_modified,"
                        + " last_success = excluded.last_success" : "");
        try (PreparedStatement u = c.prepareStatement(sql)) {
            u.setString(1, location);
            u.setString(2, ok ? result.etag() : null);
            u.setString(3, ok ? result.lastModified() : null);
            u.setString(4, now.toString());
            u.setString(5, ok ? now.toString() : null);
            u.setString(6, ok ? null : error);
            u.executeUpdate();
        }
    }

    private void read(String location, Path path, StoreImport sink, ImportProblems problems) {
        boolean url = location.startsWith("http://") || location.startsWith("https://");
        try (PipelinedImport pipeline = new PipelinedImport(importers, sink, problems, PARSE_THREADS, 256,
                PipelinedImport.MAX_IN_FLIGHT_BYTES)) {
            if (Files.isRegularFile(path) && FeedReader.isZip(path) && Bundle.isBundle(path)) {
                readBundle(location, path, sink);
            } else if (url) {
                reader.readFile(path, location, pipeline, problems);
            } else {
                reader.read(path, pipeline, problems);
            }
            pipeline.finish();
        } catch (IOException e) {
            throw new FeedException("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    private void readBundle(String location, Path path, StoreImport sink) throws IOException {
        if (trustedBundleKey == null) {
            throw new FeedException(location + " is a signed bundle but no trusted bundle key is configured");
        }
        Map<String, Feed> feeds = new LinkedHashMap<>();
        try {
            Bundle.read(path, trustedBundleKey, new Bundle.Content() {
                @Override
                public void feed(Bundle.FeedEntry f) {
                    // a bundle is a full export: each of its feeds replaces the local one
                    Feed feed = new Feed(f.name(), f.format(), true);
                    feeds.put(f.name(), feed);
                    sink.begin(feed);
                    sink.asOf(f.name(), f.lastImport(), f.source() + " (via bundle " + location + ")");
                }

                @Override
                public void advisory(JsonNode node) {
                    Advisory a = AdvisoryCodec.decode(node);
                    Feed feed = feeds.get(a.feed());
                    if (feed == null) {
                        throw new FeedException(location + ": advisory " + a.id() + " of undeclared feed " + a.feed());
                    }
                    sink.accept(feed, a);
                }
            });
        } catch (SQLException e) {
            throw new FeedException("cannot import bundle " + location + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("portcullis-feeds");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove temporary files in " + dir, e);
        }
    }
}
