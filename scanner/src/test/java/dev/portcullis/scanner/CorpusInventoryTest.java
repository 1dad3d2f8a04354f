package dev.portcullis.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.PackageURL;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every corpus image's OS packages match its ground-truth {@code inventory.json} exactly: same name, version,
 * source and purl, nothing missing and nothing extra. The expectations come from the corpus, not from this code.
 */
class CorpusInventoryTest {
    private static final Set<Ecosystem> OS = Set.of(Ecosystem.DEB, Ecosystem.APK, Ecosystem.RPM);

    static ScanResult scan(String image) throws Exception {
        Path layout = Corpus.image(image).resolve("oci");
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        try (ImageSource source = ImageSources.open("oci:" + layout + ":" + image)) {
            List<ScanResult> results = scanner.scan(source, null, ScanListener.NONE);
            assertThat(results).hasSize(1);
            return results.getFirst();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-bookworm-minbase", "alpine-3.10.3", "java-app", "node-app", "python-app",
            "go-app", "misconfig-secrets"})
    void osPackagesMatchInventoryExactly(String image) throws Exception {
        JsonNode inventory = Json.parse(Files.readAllBytes(Corpus.image(image).resolve("inventory.json")));
        Set<String> expected = new TreeSet<>();
        for (JsonNode p : inventory.path("packages")) {
            String eco = p.path("ecosystem").asText();
            if (!Set.of("deb", "apk", "rpm").contains(eco)) {
                continue;
            }
            String source = p.has("origin") ? p.path("origin").asText() : p.path("source_name").asText(null);
            expected.add(String.join(" ", eco, p.path("name").asText(), p.path("version").asText(),
                    String.valueOf(source), new PackageURL(p.path("purl").asText()).canonicalize(),
                    p.path("path").asText()));
        }
        ScanResult result = scan(image);
        Set<String> actual = new TreeSet<>();
        for (Package p : result.packages()) {
            if (OS.contains(p.ecosystem())) {
                actual.add(String.join(" ", p.ecosystem().purlType(), p.name(), p.version(),
                        p.source() == null ? "null" : p.source().name(), p.purl().canonicalize(), p.path()));
            }
        }
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(result.unreadable()).isEmpty();
        JsonNode os = inventory.path("os");
        if (!os.isMissingNode()) {
            assertThat(result.os()).isNotNull();
            assertThat(result.os().id()).isEqualTo(os.path("id").asText());
            assertThat(result.os().versionId()).isEqualTo(os.path("version_id").asText());
        }
    }

    @Test
    void debianSourceVersionsComeFromTheSourceField() throws Exception {
        JsonNode inventory = Json.parse(Files.readAllBytes(
                Corpus.image("debian-bookworm-minbase").resolve("inventory.json")));
        ScanResult result = scan("debian-bookworm-minbase");
        assertThat(result.packages()).hasSize(inventory.path("packages").size());
        for (JsonNode p : inventory.path("packages")) {
            Package found = result.packages().stream().filter(x -> x.name().equals(p.path("name").asText()))
                    .findFirst().orElseThrow();
            assertThat(found.source().version()).as(found.name()).isEqualTo(p.path("source_version").asText());
            assertThat(found.layer()).isEqualTo(result.layers().getFirst().digest());
        }
        assertThat(result.os().endOfLife()).isNotNull();
    }
}
