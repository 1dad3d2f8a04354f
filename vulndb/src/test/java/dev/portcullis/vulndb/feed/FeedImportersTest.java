package dev.portcullis.vulndb.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.vulndb.match.InMemoryAdvisories;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.PackageKey;
import dev.portcullis.vulndb.model.Range;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Importers on small documents written here: statuses, withdrawn records, malformed parts, archive bounds. */
class FeedImportersTest {
    private final FeedImporters importers = new FeedImporters();
    private final InMemoryAdvisories sink = new InMemoryAdvisories();
    private final ImportProblems problems = new ImportProblems();

    private void read(String name, String doc) {
        importers.read(name, doc.getBytes(StandardCharsets.UTF_8), sink, problems);
    }

    @Test
    void debianTrackerStatusesBecomeRangesOrNothing() {
        read("tracker.json", """
                {"glibc": {
                   "CVE-1": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "2.36-9+deb12u3",
                                                       "urgency": "high"}}},
                   "CVE-2": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "0"}}},
                   "CVE-3": {"releases": {"bookworm": {"status": "open", "nodsa": "Minor", "nodsa_reason": "ignored"},
                                          "sid": {"status": "open"}}},
                   "CVE-4": {"releases": {"hamm": {"status": "open"}}},
                   "CVE-5": {"releases": {"bullseye": {"status": "weird"}}}}}
                """);
        List<Advisory> glibc = sink.advisories(new PackageKey("Debian:12", "glibc"));
        assertThat(glibc).extracting(Advisory::id).containsExactly("CVE-1", "CVE-3");
        assertThat(glibc.get(0).severity().rating()).isEqualTo("high");
        assertThat(glibc.get(0).affected().getFirst().ranges().getFirst().events())
                .extracting(Range.Event::version).containsExactly("0", "2.36-9+deb12u3");
        assertThat(glibc.get(1).affected().getFirst().ranges().getFirst().events()).hasSize(1);
        assertThat(glibc.get(1).affected().getFirst().note()).isEqualTo("ignored");
        assertThat(problems.malformed()).extracting(ImportProblems.Problem::reason)
                .containsExactly("unknown Debian release hamm", "unknown status 'weird'");
    }

    @Test
    void alpineSecdbKeysAreOriginsAndZeroMeansNeverAffected() {
        read("v3.10-main.yaml", """
                distroversion: v3.10
                reponame: main
                packages:
                  - pkg:
                      name: musl
                      secfixes:
                        1.1.22-r3:
                          - CVE-2019-14697
                        "0":
                          - CVE-2000-0001
                  - pkg:
                      secfixes: {}
                """);
        assertThat(sink.advisories(new PackageKey("Alpine:v3.10", "musl"))).extracting(Advisory::id)
                .containsExactly("CVE-2019-14697");
        assertThat(problems.malformed()).singleElement().satisfies(p ->
                assertThat(p.location()).isEqualTo("v3.10-main.yaml#packages[1]"));
    }

    @Test
    void withdrawnOsvRecordRemovesItsId() {
        String live = """
                {"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z", "affected": [
                  {"package": {"ecosystem": "PyPI", "name": "Py_YAML"},
                   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.4"}]}]}]}
                """;
        read("a.json", live);
        assertThat(sink.advisories(new PackageKey("PyPI", "py-yaml"))).hasSize(1);
        read("a.json", live.replace("\"modified\"", "\"withdrawn\": \"2024-02-01T00:00:00Z\", \"modified\""));
        assertThat(sink.advisories(new PackageKey("PyPI", "py-yaml"))).isEmpty();
    }

    @Test
    void zipReadingIsBoundedAndReportsOversizedEntries() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < 3; i++) {
                zip.putNextEntry(new ZipEntry("e" + i + ".json"));
                zip.write(("{\"n\": \"" + "x".repeat(i * 100) + "\"}").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        List<String> seen = new ArrayList<>();
        new FeedReader(new FeedReader.Limits(10, 150, 1 << 20)).readZip(new ByteArrayInputStream(bytes.toByteArray()),
                "feed.zip", d -> seen.add(d.location()), problems);
        assertThat(seen).containsExactly("feed.zip!/e0.json", "feed.zip!/e1.json");
        assertThat(problems.skipped()).singleElement().satisfies(p -> assertThat(p.location()).isEqualTo("feed.zip!/e2.json"));

        assertThatThrownBy(() -> new FeedReader(new FeedReader.Limits(2, 1 << 20, 1 << 20)).readZip(
                new ByteArrayInputStream(bytes.toByteArray()), "feed.zip", d -> { }, new ImportProblems()))
                .isInstanceOf(FeedException.class).hasMessageContaining("more than 2 entries");
        assertThatThrownBy(() -> new FeedReader(new FeedReader.Limits(10, 1 << 20, 150)).readZip(
                new ByteArrayInputStream(bytes.toByteArray()), "feed.zip", d -> { }, new ImportProblems()))
                .isInstanceOf(FeedException.class).hasMessageContaining("expands to more than 150 bytes");
    }
}
