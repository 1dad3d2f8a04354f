package dev.portcullis.scanner.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.CollectingSink;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpmAnalyzerTest {
    private static final Digest LAYER = Digest.sha256(new byte[0]);
    private static final List<byte[]> HEADERS = List.of(
            RpmFixtures.header("bash", "5.1.8", "6.el9", null, "x86_64", "bash-5.1.8-6.el9.src.rpm", "GPLv3+"),
            RpmFixtures.header("openssl-libs", "3.0.7", "27.el9", 1, "x86_64", "openssl-3.0.7-27.el9.src.rpm",
                    "ASL 2.0"),
            RpmFixtures.header("gpg-pubkey", "fd431d51", "4ae0493b", null, null, null, "pubkey"));

    @TempDir
    Path dir;

    private static CollectingSink analyze(String path, byte[] db) throws Exception {
        CollectingSink sink = new CollectingSink();
        RpmAnalyzer a = new RpmAnalyzer();
        assertThat(a.accepts(path, db.length)).isTrue();
        a.analyze(new LayerFile(LAYER, path, db.length, 0644, new ByteArrayInputStream(db)), sink);
        return sink;
    }

    private static void assertInventory(CollectingSink sink, String path) {
        assertThat(sink.unreadable).isEmpty();
        assertThat(sink.packages).extracting(Package::name, Package::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bash", "5.1.8-6.el9"),
                        org.assertj.core.groups.Tuple.tuple("openssl-libs", "1:3.0.7-27.el9"));
        Package ssl = sink.packages.get(1);
        assertThat(ssl.source()).isEqualTo(new Package.Source("openssl", "3.0.7-27.el9"));
        assertThat(ssl.purl().getQualifiers()).containsEntry("epoch", "1").containsEntry("arch", "x86_64");
        assertThat(ssl.purl().getVersion()).isEqualTo("3.0.7-27.el9");
        assertThat(ssl.licenses()).containsExactly("ASL 2.0");
        assertThat(ssl.path()).isEqualTo(path);
    }

    @Test
    void readsSqliteRpmdb() throws Exception {
        String path = "var/lib/rpm/rpmdb.sqlite";
        assertInventory(analyze(path, RpmFixtures.sqlite(dir, HEADERS)), path);
    }

    @Test
    void readsNdbPackagesDb() throws Exception {
        String path = "usr/lib/sysimage/rpm/Packages.db";
        assertInventory(analyze(path, RpmFixtures.ndb(HEADERS)), path);
    }

    @Test
    void readsBerkeleyDbPackages() throws Exception {
        String path = "var/lib/rpm/Packages";
        assertInventory(analyze(path, RpmFixtures.berkeleyDb(HEADERS)), path);
    }

    @Test
    void malformedHeadersAreUnreadableNotFatal() throws Exception {
        byte[] bad = RpmFixtures.header("x", "1", "1", null, null, null, null);
        bad[11] = 0x7f; // index count far beyond the blob
        byte[] truncated = java.util.Arrays.copyOf(HEADERS.getFirst(), 30);
        CollectingSink sink = analyze("var/lib/rpm/Packages.db", RpmFixtures.ndb(List.of(bad, truncated,
                HEADERS.getFirst())));
        assertThat(sink.packages).extracting(Package::name).containsExactly("bash");
        assertThat(sink.unreadable).hasSize(2);
    }

    @Test
    void corruptSqliteIsAFormatErrorAndLeavesNoTempFile() throws Exception {
        long before = countTempCopies();
        byte[] garbage = "SQLite format 3\u0000 but not really".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> analyze("var/lib/rpm/rpmdb.sqlite", garbage))
                .isInstanceOf(DatabaseFormatException.class);
        assertThat(countTempCopies()).isEqualTo(before);
    }

    private static long countTempCopies() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("portcullis-rpmdb-")).count();
        }
    }

    @Test
    void headerParserChecksEveryOffset() {
        assertThatThrownBy(() -> RpmHeader.parse(new byte[] {0, 0, 0, 1, 0, 0, 0, 4})).isInstanceOf(
                DatabaseFormatException.class);
        byte[] h = RpmFixtures.header("bash", "1", "1", null, null, null, null);
        h[8 + 8 + 3] = 0x70; // offset of the first string beyond the data store
        assertThatThrownBy(() -> RpmHeader.parse(h)).hasMessageContaining("outside the data store");
    }

    @Test
    void sourceRpmNameSplitsAtTheLastTwoDashes() {
        assertThat(RpmAnalyzer.sourceOf("glibc-langpack-2.34-60.el9.src.rpm"))
                .isEqualTo(new Package.Source("glibc-langpack", "2.34-60.el9"));
        assertThat(RpmAnalyzer.sourceOf("(none)")).isNull();
    }
}
