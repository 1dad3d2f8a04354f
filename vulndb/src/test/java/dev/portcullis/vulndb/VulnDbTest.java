package dev.portcullis.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.InstalledPackage;
import dev.portcullis.vulndb.model.PackageKey;
import dev.portcullis.vulndb.store.AdvisoryCodec;
import dev.portcullis.vulndb.store.MavenSha1Index;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports into a real SQLite database: atomicity, change tracking, malformed records, the HTTP download path. */
class VulnDbTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path tmp;

    private Database database;
    private VulnDb db;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger conditionalHits = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        database = Database.sqlite(tmp.resolve("data"));
        db = VulnDb.open(database, Clock.fixed(T0, ZoneOffset.UTC),
                new FeedDownloader(HttpClient.newHttpClient(), 64L << 20, Duration.ofSeconds(10)));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (failures.get() > 0) {
                failures.decrementAndGet();
                exchange.sendResponseHeaders(503, -1);
            } else if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                String etag = "\"" + Integer.toHexString(Arrays.hashCode(body)) + "\"";
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    conditionalHits.incrementAndGet();
                    exchange.sendResponseHeaders(304, -1);
                } else {
                    exchange.getResponseHeaders().add("ETag", etag);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void close() {
        server.stop(0);
        database.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void reimportingTheSameTreeChangesNothing() {
        Path feeds = Corpus.feeds();
        ImportReport first = db.importFrom(List.of(feeds.toString()));
        assertThat(first.feeds()).containsKeys("osv:GHSA", "osv:GO", "osv:PYSEC", "debian-tracker",
                "alpine-secdb:v3.10/main", "alpine-secdb:v3.7/main");
        assertThat(first.feeds().get("osv:GHSA").added()).isEqualTo(37);
        assertThat(first.feeds().get("osv:GO").added()).isEqualTo(92);
        assertThat(first.feeds().get("osv:PYSEC").added()).isEqualTo(146);
        assertThat(first.changedPackages()).contains(new PackageKey("Maven", "com.google.guava:guava"),
                new PackageKey("Debian:12", "glibc"), new PackageKey("PyPI", "pyyaml"));

        ImportReport second = db.importFrom(List.of(feeds.toString()));
        assertThat(second.changedPackages()).isEmpty();
        assertThat(second.feeds().values()).allMatch(c -> c.added() == 0 && c.updated() == 0 && c.removed() == 0);

        DbStatus status = db.status();
        assertThat(status.records()).isEqualTo(first.records());
        assertThat(status.oldestImport()).contains(T0);
        assertThat(status.isStalerThan(Duration.ofHours(1))).isFalse();
    }

    @Test
    void snapshotFeedLosesWhatItsNewSnapshotNoLongerHasAndReportsChangedPackages() throws IOException {
        Path secdb = tmp.resolve("main.yaml");
        Files.writeString(secdb, """
                distroversion: v3.10
                reponame: main
                packages:
                  - pkg:
                      name: musl
                      secfixes:
                        1.1.22-r3:
                          - CVE-2019-14697
                  - pkg:
                      name: openssl
                      secfixes:
                        1.1.1d-r0:
                          - CVE-2019-1547
                """);
        db.importFrom(List.of(secdb.toString()));
        Files.writeString(secdb, """
                distroversion: v3.10
                reponame: main
                packages:
                  - pkg:
                      name: musl
                      secfixes:
                        1.1.22-r3:
                          - CVE-2019-14697
                """);
        ImportReport second = db.importFrom(List.of(secdb.toString()));
        assertThat(second.feeds().get("alpine-secdb:v3.10/main").removed()).isEqualTo(1);
        assertThat(second.changedPackages()).containsExactly(new PackageKey("Alpine:v3.10", "openssl"));
        InstalledPackage openssl = new InstalledPackage("apk", "libcrypto1.1", "1.1.1c-r0", "", "openssl", "",
                new InstalledPackage.Distro("alpine", "3.10.3"), "", "lib/apk/db/installed");
        assertThat(db.matcher().match(openssl)).isEmpty();
    }

    @Test
    void malformedRecordIsSkippedCountedAndReportedWithFileAndReason() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("osv"));
        Files.writeString(dir.resolve("GHSA-good.json"), """
                {"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z", "affected": [
                  {"package": {"ecosystem": "npm", "name": "left-pad"},
                   "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
                """);
        Files.writeString(dir.resolve("GHSA-bad.json"), """
                {"id": "GHSA-dddd-eeee-ffff", "modified": "2024-01-01T00:00:00Z", "affected": [
                  {"package": {"ecosystem": "npm"}, "ranges": []}]}
                """);
        Files.writeString(dir.resolve("broken.json"), "{\"id\": ");
        ImportReport report = db.importFrom(List.of(dir.toString()));
        assertThat(report.feeds().get("osv:GHSA").added()).isEqualTo(1);
        assertThat(report.malformed()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo("GHSA-bad.json#GHSA-dddd-eeee-ffff");
            assertThat(p.reason()).contains("without package ecosystem and name");
        });
        assertThat(report.skipped()).singleElement().satisfies(p -> assertThat(p.location()).isEqualTo("broken.json"));
    }

    @Test
    void failedImportLeavesTheDatabaseAsItWas() {
        Path feeds = Corpus.feeds();
        db.importFrom(List.of(feeds.resolve("go-vulndb").toString()));
        long before = db.status().records();
        assertThatThrownBy(() -> db.importFrom(List.of(feeds.resolve("ghsa-osv").toString(),
                tmp.resolve("does-not-exist").toString()))).isInstanceOf(FeedException.class);
        assertThat(db.status().records()).isEqualTo(before);
        assertThat(db.status().feeds()).extracting(DbStatus.FeedStatus::name).containsExactly("osv:GO");
    }

    @Test
    void downloadsOverHttpWithConditionalGetAndRecordsFailures() throws IOException {
        Path feeds = Corpus.feeds();
        served.put("/debian.json", Files.readAllBytes(feeds.resolve("debian/bookworm-status.json")));
        served.put("/go.zip", zip(feeds.resolve("go-vulndb")));
        List<String> urls = List.of(url("/debian.json"), url("/go.zip"));

        ImportReport first = db.importFrom(urls);
        assertThat(first.feeds()).containsKeys("debian-tracker", "osv:GO");
        assertThat(first.feeds().get("osv:GO").added()).isEqualTo(92);
        assertThat(first.skipped()).allMatch(p -> p.location().startsWith(url("/go.zip") + "!/"));

        ImportReport second = db.update();
        assertThat(second.notModified()).containsExactlyInAnyOrderElementsOf(urls);
        assertThat(conditionalHits.get()).isEqualTo(2);

        long records = db.status().records();
        failures.set(1);
        assertThatThrownBy(db::update).isInstanceOf(FeedException.class).hasMessageContaining("HTTP 503");
        DbStatus status = db.status();
        assertThat(status.records()).isEqualTo(records);
        assertThat(status.sources()).filteredOn(s -> !s.lastError().isEmpty()).singleElement()
                .satisfies(s -> assertThat(s.lastError()).contains("503"));
    }

    @Test
    void readingOpensWhatAnImportWroteWithoutChangingItAndRefusesToImport() throws IOException {
        db.importFrom(List.of(Corpus.feeds().resolve("pypa-osv").toString()));
        InstalledPackage yaml = new InstalledPackage("pypi", "PyYAML", "5.3.1", "", "", "", null, "", "site-packages");
        List<Finding> migrated = db.matcher().match(yaml);
        assertThat(migrated).extracting(Finding::kind).contains(Finding.Kind.VULNERABLE);
        database.close();
        Path file = tmp.resolve("data/portcullis.db");
        byte[] before = Files.readAllBytes(file);
        try (Database readOnly = Database.sqliteReadOnly(tmp.resolve("data"))) {
            VulnDb reading = VulnDb.openForReading(readOnly, Clock.fixed(T0, ZoneOffset.UTC));
            assertThat(reading.status().feeds()).extracting(DbStatus.FeedStatus::name).containsExactly("osv:PYSEC");
            assertThat(reading.matcher().match(yaml)).isEqualTo(migrated);
            assertThatThrownBy(() -> reading.importFrom(List.of(Corpus.feeds().resolve("go-vulndb").toString())))
                    .hasMessageContaining("readonly");
            assertThatThrownBy(() -> reading.importFrom(List.of("http://127.0.0.1:1/feed.zip")))
                    .isInstanceOf(FeedException.class).hasMessageContaining("opened for reading");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        database = Database.sqlite(tmp.resolve("data")); // for close()
    }

    @Test
    void publicationDatesTravelFromTheFeedsThroughTheStoreIntoFindingsAndAreUnknownWhereTheFeedHasNone() {
        db.importFrom(List.of(Corpus.feeds().toString()));
        // OSV JSON (GHSA), OSV YAML with an unquoted timestamp (PyPA)
        assertThat(published(new InstalledPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "", "", "",
                null, "", "app/lib/log4j-core-2.14.1.jar"), "GHSA-jfh8-c2jp-5v3q"))
                .isEqualTo(Instant.parse("2021-12-10T00:40:56Z"));
        assertThat(published(new InstalledPackage("pypi", "idna", "2.10", "", "", "", null, "", "site-packages"),
                "PYSEC-2024-60")).isEqualTo(Instant.parse("2024-07-07T18:15:00Z"));
        // the Debian tracker and Alpine secdb give no publication date: unknown, never invented
        List<Finding> glibc = db.matcher().match(new InstalledPackage("deb", "libc6", "2.36-9+deb12u14", "", "glibc",
                "2.36-9+deb12u14", new InstalledPackage.Distro("debian", "12"), "", "var/lib/dpkg/status"));
        assertThat(glibc).isNotEmpty().allMatch(f -> f.feed().equals("debian-tracker") && f.published() == null);
        assertThat(published(new InstalledPackage("apk", "musl", "1.1.22-r2", "", "musl", "1.1.22-r2",
                new InstalledPackage.Distro("alpine", "3.10.3"), "", "lib/apk/db/installed"), "CVE-2019-14697"))
                .isNull();
    }

    @Test
    void aStoredDocumentWithoutADateOrWithAGarbledOneStillMatchesWithTheDateUnknown() throws Exception {
        db.importFrom(List.of(Corpus.feeds().resolve("ghsa-osv").toString()));
        InstalledPackage log4j = new InstalledPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "", "",
                "", null, "", "app/lib/log4j-core-2.14.1.jar");
        for (String published : java.util.Arrays.asList(null, "the tenth of December", "2021-13-99T00:00:00Z")) {
            // rewrite the stored row as an older release (no field) or a damaged one would have left it
            database.inTransaction(c -> {
                byte[] stored;
                try (var q = c.prepareStatement("SELECT document FROM vulndb_advisory WHERE id = ?")) {
                    q.setString(1, "GHSA-jfh8-c2jp-5v3q");
                    try (var rs = q.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        stored = rs.getBytes(1);
                    }
                }
                var doc = (com.fasterxml.jackson.databind.node.ObjectNode) dev.portcullis.oci.Json.parse(
                        AdvisoryCodec.inflate(stored));
                if (published == null) {
                    doc.remove("published");
                } else {
                    doc.put("published", published);
                }
                try (var u = c.prepareStatement("UPDATE vulndb_advisory SET document = ? WHERE id = ?")) {
                    u.setBytes(1, AdvisoryCodec.deflate(dev.portcullis.oci.Json.write(doc)));
                    u.setString(2, "GHSA-jfh8-c2jp-5v3q");
                    assertThat(u.executeUpdate()).isEqualTo(1);
                }
                return null;
            });
            // a fresh handle, so the advisory is decoded from the row and not served from the cache
            VulnDb reopened = VulnDb.openForReading(database, Clock.fixed(T0, ZoneOffset.UTC));
            assertThat(reopened.matcher().match(log4j)).filteredOn(f -> f.advisoryId().equals("GHSA-jfh8-c2jp-5v3q"))
                    .singleElement().satisfies(f -> {
                        assertThat(f.kind()).isEqualTo(Finding.Kind.VULNERABLE);
                        assertThat(f.published()).isNull();
                        assertThat(f.fixedVersions()).contains("2.15.0");
                    });
        }
    }

    private Instant published(InstalledPackage p, String advisory) {
        return db.matcher().match(p).stream().filter(f -> f.advisoryId().equals(advisory)).findFirst()
                .orElseThrow(() -> new AssertionError(advisory + " does not match " + p)).published();
    }

    @Test
    void readingRefusesADatabaseOfAnotherSchemaAndCreatesNothing() {
        db.status();
        database.inTransaction(c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("DELETE FROM flyway_history_vulndb WHERE version = '" + VulnDb.SCHEMA_VERSION + "'");
            }
            return null;
        });
        try (Database readOnly = Database.sqliteReadOnly(tmp.resolve("data"))) {
            assertThatThrownBy(() -> VulnDb.openForReading(readOnly, Clock.systemUTC()))
                    .isInstanceOf(FeedException.class).hasMessageContaining("portcullis db import");
        }
        Path nowhere = tmp.resolve("nowhere");
        try (Database readOnly = Database.sqliteReadOnly(nowhere)) {
            assertThatThrownBy(() -> VulnDb.openForReading(readOnly, Clock.systemUTC()))
                    .hasMessageContaining("database read failed");
        }
        assertThat(nowhere).doesNotExist();
    }

    /** Reading checks the schema against a constant instead of running Flyway: both must name the same version. */
    @Test
    void schemaVersionIsTheHighestMigration() throws Exception {
        for (String dialect : List.of("sqlite", "postgresql")) {
            Path dir = Path.of(VulnDb.class.getResource("/db/migration/vulndb/" + dialect).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                int highest = files.map(f -> f.getFileName().toString())
                        .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
                assertThat(String.valueOf(highest)).as(dialect).isEqualTo(VulnDb.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void aSha1IndexIsImportedLikeAFeedReplacedWholeAndLookedUpByChecksum() throws IOException {
        String core = "a".repeat(40);
        String jcl = "b".repeat(40);
        Path index = tmp.resolve("central.sha1");
        Files.writeString(index, MavenSha1Index.HEADER + "\n# from the published index of a mirror\n\n"
                + core + " org.springframework:spring-core:5.3.17\n"
                + jcl + "  org.springframework:spring-jcl:5.3.17\n"
                + "ABC org.example:bad:1\n");

        ImportReport report = db.importFrom(List.of(index.toString(), Corpus.feeds().resolve("go-vulndb").toString()));

        assertThat(report.feeds().get(MavenSha1Index.FEED).added()).isEqualTo(2);
        assertThat(report.feeds()).containsKey("osv:GO");
        assertThat(report.malformed()).singleElement()
                .satisfies(p -> assertThat(p.location()).isEqualTo(index + ":6"));
        assertThat(db.status().feeds()).extracting(DbStatus.FeedStatus::name).contains(MavenSha1Index.FEED);
        assertThat(db.mavenSha1Index().coordinates(java.util.Set.of(core, jcl, "c".repeat(40)))).isEqualTo(Map.of(
                core, "org.springframework:spring-core:5.3.17", jcl, "org.springframework:spring-jcl:5.3.17"));

        // gzip-compressed, and a new import replaces the index
        Path gz = tmp.resolve("central.sha1.gz");
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((MavenSha1Index.HEADER + "\n" + jcl + " org.springframework:spring-jcl:5.3.18\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        db.importFrom(List.of(gz.toString()));
        assertThat(db.mavenSha1Index().coordinates(java.util.Set.of(core, jcl)))
                .isEqualTo(Map.of(jcl, "org.springframework:spring-jcl:5.3.18"));
    }

    private static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
