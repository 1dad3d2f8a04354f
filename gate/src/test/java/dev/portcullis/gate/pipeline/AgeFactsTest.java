package dev.portcullis.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.EffectivePolicy;
import dev.portcullis.policy.PolicyDocuments;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.Subject;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import dev.portcullis.storage.Database;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import dev.portcullis.vulndb.vex.Vex;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real corpus image and the real corpus feeds: image and advisory ages reach a CEL policy end to end. */
class AgeFactsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void imageCreatedAndAdvisoryPublishedAreJudgedByAPolicy() throws Exception {
        ImageScan scan;
        try (Database database = Database.sqlite(tmp.resolve("data"))) {
            VulnDb db = VulnDb.open(database, Clock.fixed(NOW, ZoneOffset.UTC),
                    new FeedDownloader(HttpClient.newHttpClient(), 64L << 20, Duration.ofSeconds(10)));
            db.importFrom(List.of(Corpus.feeds().resolve("ghsa-osv").toString()));
            Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                    Clock.systemUTC());
            Path layout = Corpus.image("java-app").resolve("oci");
            try (ImageSource source = ImageSources.open("oci:" + layout + ":java-app")) {
                scan = new ScanPipeline(scanner).run(source, (String) null, ScanListener.NONE, db.matcher(), new Vex(List.of()))
                        .getFirst();
            }
            Subject s = Subjects.of(scan, new Subjects.Placement("acme/app", "acme", "1.0"),
                    Subjects.database(db.status()), NOW);
            assertThat(s.image().created()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
            assertThat(s.findings()).filteredOn(f -> f.id().equals("GHSA-jfh8-c2jp-5v3q")).isNotEmpty()
                    .allSatisfy(f -> assertThat(f.published()).isEqualTo(Instant.parse("2021-12-10T00:40:56Z")));

            EffectivePolicy policy = EffectivePolicy.of(PolicyDocuments.parse("""
                    owner: organisation
                    version: 1
                    rules:
                      - name: old-image
                        resource: image
                        condition: has(image.created) && now - image.created > duration("8760h")
                        action: reject
                        message: Rebuild images older than a year.
                      - name: old-advisory
                        resource: vulnerability
                        condition: has(finding.published) && finding.published < timestamp("2022-01-01T00:00:00Z")
                        action: warn
                        message: Known for years.
                    """, "age.yaml"), List.of());
            Verdict v = policy.evaluate(s, List.of(), Optional.empty(), NOW);
            assertThat(v.decision()).isEqualTo(Decision.REJECT);
            assertThat(v.rejections()).extracting(Reason::rule).containsExactly("old-image");
            assertThat(v.warnings()).extracting(Reason::item).contains("GHSA-jfh8-c2jp-5v3q");
        }
    }
}
