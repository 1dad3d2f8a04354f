package dev.portcullis.vulndb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.bundle.BundleKeys;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.feed.FeedException;
import dev.portcullis.vulndb.match.InstalledPackage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Air-gapped transfer: export a signed bundle from one installation, import it into another. */
class BundleTest {
    private static final Instant EXPORTED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant IMPORTED = Instant.parse("2026-11-23T00:00:00Z");

    @TempDir
    Path tmp;

    private static VulnDb open(Database database, Instant now) {
        return VulnDb.open(database, Clock.fixed(now, ZoneOffset.UTC),
                new FeedDownloader(HttpClient.newHttpClient(), 1 << 20, Duration.ofSeconds(5)));
    }

    @Test
    void bundleCarriesTheDataAndItsAgeAndIsVerifiedBeforeUse() throws IOException {
        Path bundle = tmp.resolve("vulndb.bundle");
        KeyPair keys = BundleKeys.loadOrCreate(tmp.resolve("keys"));
        DbStatus source;
        try (Database a = Database.sqlite(tmp.resolve("online"))) {
            VulnDb online = open(a, EXPORTED);
            online.importFrom(List.of(Corpus.feeds().toString()));
            online.exportBundle(bundle, keys);
            source = online.status();
        }
        try (Database b = Database.sqlite(tmp.resolve("offline"))) {
            VulnDb offline = open(b, IMPORTED);
            assertThatThrownBy(() -> offline.importFrom(List.of(bundle.toString())))
                    .isInstanceOf(FeedException.class).hasMessageContaining("no trusted bundle key");

            KeyPair other = BundleKeys.loadOrCreate(tmp.resolve("other-keys"));
            assertThatThrownBy(() -> offline.trustingBundlesFrom(other.getPublic()).importFrom(List.of(bundle.toString())))
                    .isInstanceOf(FeedException.class).hasMessageContaining("signature does not verify");

            Path tampered = tamper(bundle);
            VulnDb trusting = offline.trustingBundlesFrom(BundleKeys.readPublic(tmp.resolve("keys/bundle-signing.pub")));
            assertThatThrownBy(() -> trusting.importFrom(List.of(tampered.toString())))
                    .isInstanceOf(FeedException.class).hasMessageContaining("payload digest");
            assertThat(trusting.status().feeds()).isEmpty();

            trusting.importFrom(List.of(bundle.toString()));
            DbStatus status = trusting.status();
            assertThat(status.records()).isEqualTo(source.records());
            assertThat(status.oldestImport()).contains(EXPORTED);
            assertThat(status.isStalerThan(Duration.ofDays(7))).isTrue();
            InstalledPackage log4j = new InstalledPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1",
                    "", "", "", null, "", "app/lib/log4j-core-2.14.1.jar");
            assertThat(trusting.matcher().match(log4j)).extracting(f -> f.advisoryId())
                    .contains("GHSA-jfh8-c2jp-5v3q", "GHSA-7rjr-3q55-vv33");
        }
    }

    /** Rewrites the payload with one line dropped; manifest and signature stay as signed. */
    private Path tamper(Path bundle) throws IOException {
        Path out = tmp.resolve("tampered.bundle");
        try (InputStream in = Files.newInputStream(bundle); ZipInputStream zin = new ZipInputStream(in);
             OutputStream os = Files.newOutputStream(out); ZipOutputStream zout = new ZipOutputStream(os)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                byte[] bytes = zin.readAllBytes();
                if (e.getName().equals("advisories.jsonl")) {
                    String s = new String(bytes, StandardCharsets.UTF_8);
                    bytes = s.substring(s.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8);
                }
                zout.putNextEntry(new ZipEntry(e.getName()));
                zout.write(bytes);
                zout.closeEntry();
            }
        }
        return out;
    }
}
