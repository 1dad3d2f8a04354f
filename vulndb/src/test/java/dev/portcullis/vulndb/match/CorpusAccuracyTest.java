package dev.portcullis.vulndb.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.vulndb.feed.FeedImporters;
import dev.portcullis.vulndb.feed.FeedReader;
import dev.portcullis.vulndb.feed.ImportProblems;
import dev.portcullis.vulndb.version.VersionSchemes;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.LocalPostgres;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Accuracy against the corpus ground truth: with the whole {@code feeds/} tree imported, each image's inventory
 * yields exactly the findings of its {@code expected-matches.json}, no more and no fewer. Expectations are read
 * from the corpus, never produced by the matcher. Each check runs against the in-memory index and against the
 * database after {@code VulnDb.importFrom} of the same tree, on SQLite and on PostgreSQL.
 */
class CorpusAccuracyTest {
    /** The legacy Node Security WG format is skipped by design (issue 5), so its expected matches cannot appear. */
    private static final String SKIPPED_FEED = "nodejs-security-wg/";

    private static InMemoryAdvisories advisories;
    private static ImportProblems problems;
    private static Matcher matcher;
    private static Database database;
    private static Database readOnly;
    private static LocalPostgres postgres;
    /** Why the PostgreSQL lookup is missing, when it is. */
    private static String postgresUnavailable;
    private static Map<String, Matcher> matchers;

    @TempDir
    static Path data;

    @BeforeAll
    static void importWholeFeedTree() throws IOException {
        Path feeds = Corpus.feeds();
        advisories = new InMemoryAdvisories();
        problems = new ImportProblems();
        FeedImporters importers = new FeedImporters();
        new FeedReader(FeedReader.Limits.DEFAULT).read(feeds,
                d -> importers.read(d.location(), d.bytes(), advisories, problems), problems);
        advisories.endImport();
        matcher = new Matcher(advisories, new VersionSchemes());
        database = Database.sqlite(data);
        VulnDb db = VulnDb.open(database, Clock.systemUTC(),
                new FeedDownloader(HttpClient.newHttpClient(), 1 << 20, Duration.ofSeconds(5)));
        db.importFrom(List.of(feeds.toString()));
        // what `portcullis scan` opens: the same file read-only, without migrating
        readOnly = Database.sqliteReadOnly(data);
        matchers = new java.util.HashMap<>(Map.of("memory", matcher, "database", db.matcher(),
                "read-only", VulnDb.openForReading(readOnly, Clock.systemUTC()).matcher()));
        // The same import into PostgreSQL (Debian's server, started for the test) when the machine has it.
        try {
            postgres = LocalPostgres.start();
            VulnDb pg = VulnDb.open(postgres.newDatabase(), Clock.systemUTC(),
                    new FeedDownloader(HttpClient.newHttpClient(), 1 << 20, Duration.ofSeconds(5)));
            pg.importFrom(List.of(feeds.toString()));
            matchers.put("postgresql", pg.matcher());
        } catch (org.opentest4j.TestAbortedException e) {
            postgresUnavailable = e.getMessage();
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL import failed", e);
        }
    }

    private static Matcher lookup(String name) {
        org.junit.jupiter.api.Assumptions.assumeTrue(matchers.containsKey(name),
                () -> name + " lookup not available: " + postgresUnavailable);
        return matchers.get(name);
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
        if (readOnly != null) {
            readOnly.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<Arguments> lookups() {
        return Stream.of("memory", "database", "read-only", "postgresql").flatMap(l -> Stream.of("java-app", "node-app", "python-app", "go-app",
                "alpine-3.10.3").map(i -> Arguments.of(l, i)));
    }

    @Test
    void wholeTreeImportsEveryFormatAndReportsWhatItSkips() {
        assertThat(problems.malformed()).isEmpty();
        Set<String> skipped = problems.skipped().stream().map(ImportProblems.Problem::location)
                .collect(Collectors.toSet());
        assertThat(skipped).filteredOn(s -> s.startsWith("nodejs-security-wg/vuln/npm/")).hasSize(20);
        assertThat(problems.skipped()).filteredOn(p -> p.location().startsWith("nodejs-security-wg/vuln/"))
                .allMatch(p -> p.reason().contains("Node Security WG"));
        assertThat(skipped).contains("debian-security-tracker/DSA-list.subset", "debian-security-tracker/DLA-list.subset",
                "debian/vuln-list-debian/tracker/CVE/2024/CVE-2024-2961.json");
        // nothing that is a feed of a supported format was skipped
        assertThat(skipped).noneMatch(s -> s.startsWith("ghsa-osv/advisories/") || s.startsWith("go-vulndb/GO-")
                || s.startsWith("pypa-osv/vulns/") || s.startsWith("alpine-secdb/") || s.equals("debian/bookworm-status.json"));
        assertThat(advisories.size()).isGreaterThan(37 + 146 + 92);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lookups")
    void findsExactlyTheExpectedMatches(String lookup, String image) throws IOException {
        Path dir = Corpus.image(image);
        JsonNode expected = Json.parse(Files.readAllBytes(dir.resolve("expected-matches.json")));
        Set<String> want = new TreeSet<>();
        Set<String> skippedFormat = new TreeSet<>();
        for (JsonNode m : expected.path("matches")) {
            String key = key(m.path("package").asText(), m.path("version").asText(), m.path("path").asText(),
                    m.path("advisory").asText());
            (m.path("source").asText().startsWith(SKIPPED_FEED) ? skippedFormat : want).add(key);
        }
        assertThat(want.size() + skippedFormat.size()).isEqualTo(expected.path("match_count").asInt());

        List<Finding> findings = lookup(lookup).match(CorpusInventory.read(dir));

        assertThat(findings).filteredOn(f -> f.kind() == Finding.Kind.UNEVALUABLE).isEmpty();
        Set<String> got = findings.stream()
                .map(f -> key(f.pkg().name(), f.pkg().version(), f.pkg().path(), f.advisoryId()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(got).isEqualTo(want);
        assertThat(got).noneMatch(skippedFormat::contains);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "database", "read-only", "postgresql"})
    void debianOpenIssuesAreVulnerableWithoutFixAndNegativesDoNotMatch(String lookup) throws IOException {
        Path dir = Corpus.image("debian-bookworm-minbase");
        JsonNode expected = Json.parse(Files.readAllBytes(dir.resolve("expected-matches.json")));
        assertThat(expected.path("matches")).isEmpty();
        Set<String> unfixed = new TreeSet<>();
        for (JsonNode u : expected.path("unfixed")) {
            unfixed.add(u.path("package").asText() + " " + u.path("version").asText() + " " + u.path("advisory").asText());
        }
        assertThat(unfixed).hasSize(expected.path("unfixed_count").asInt());

        List<Finding> findings = lookup(lookup).match(CorpusInventory.read(dir));

        assertThat(findings).allMatch(f -> f.kind() == Finding.Kind.VULNERABLE);
        assertThat(findings).allMatch(f -> f.fixedVersions().isEmpty(), "no fix in bookworm");
        Set<String> got = findings.stream()
                .map(f -> f.pkg().name() + " " + f.pkg().version() + " " + f.advisoryId())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(got).isEqualTo(unfixed);
        for (JsonNode n : expected.path("not_matched")) {
            String pkg = n.path("package").asText();
            String advisory = n.path("advisory").asText();
            assertThat(findings).as("negative control %s %s", pkg, advisory)
                    .noneMatch(f -> f.pkg().name().equals(pkg) && f.advisoryId().equals(advisory));
        }
    }

    @Test
    void guavaJreVersionIsAboveLastAffected() throws IOException {
        List<Finding> findings = matcher.match(CorpusInventory.read(Corpus.image("java-app")));
        assertThat(findings).noneMatch(f -> f.advisoryId().equals("GHSA-5mg8-w23w-74h3"));
        assertThat(findings).anyMatch(f -> f.pkg().name().equals("com.google.guava:guava")
                && f.advisoryId().equals("GHSA-7g45-4rm6-3mm3") && f.fixedVersions().equals(List.of("32.0.0")));
    }

    private static String key(String pkg, String version, String path, String advisory) {
        return pkg + "@" + version + " " + path + " " + advisory;
    }
}
