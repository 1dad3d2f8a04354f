package dev.portcullis.scanner.lang;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.lang.testing.Inventory;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import dev.portcullis.scanner.source.ImageSource;
import dev.portcullis.scanner.source.ImageSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole images through the scan engine with every registered analyzer: the language packages found are exactly
 * the corpus ground truth (name, version, purl, path), and misconfig-secrets yields exactly its expected ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorpusAccuracyTest {
    private static final Set<Ecosystem> OS = Set.of(Ecosystem.DEB, Ecosystem.APK, Ecosystem.RPM);
    /** Each image is scanned once for all the tests of this class. */
    private final Map<String, ScanResult> results = new HashMap<>();

    private ScanResult scan(String image) throws Exception {
        ScanResult r = results.get(image);
        if (r == null) {
            r = scanOnce(image);
            results.put(image, r);
        }
        return r;
    }

    static ScanResult scanOnce(String image) throws Exception {
        return scanOnce(image, LayerCache.inMemory());
    }

    static ScanResult scanOnce(String image, LayerCache cache) throws Exception {
        Path layout = Corpus.image(image).resolve("oci");
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, cache, Clock.systemUTC());
        try (ImageSource source = ImageSources.open("oci:" + layout + ":" + image)) {
            List<ScanResult> results = scanner.scan(source, null, ScanListener.NONE);
            assertThat(results).hasSize(1);
            return results.getFirst();
        }
    }

    static JsonNode inventory(String image) throws Exception {
        return Json.parse(Files.readAllBytes(Corpus.image(image).resolve("inventory.json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"java-app", "node-app", "python-app", "go-app", "misconfig-secrets",
            "debian-bookworm-minbase", "alpine-3.10.3"})
    void languagePackagesMatchInventoryExactly(String image) throws Exception {
        JsonNode inventory = inventory(image);
        List<String> expected = new ArrayList<>();
        for (String line : Inventory.expected(inventory)) {
            if (!line.startsWith("pkg:deb") && !line.contains("|pkg:deb/") && !line.contains("|pkg:apk/")
                    && !line.contains("|pkg:rpm/")) {
                expected.add(line);
            }
        }
        ScanResult result = scan(image);
        List<Package> language = result.packages().stream().filter(p -> !OS.contains(p.ecosystem())).toList();

        assertThat(Inventory.actual(language)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(result.unreadable()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"misconfig-secrets"})
    void findingsAreExactlyTheExpectedOnes(String image) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (JsonNode f : inventory(image).path("expected_findings")) {
            expected.add(f.path("kind").asText() + " " + f.path("id").asText());
        }
        ScanResult result = scan(image);
        Set<String> actual = new TreeSet<>();
        result.misconfigurations().forEach(m -> actual.add("misconfig " + m.id()));
        result.secrets().forEach(s -> actual.add("secret " + s.ruleId()));

        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"misconfig-secrets"})
    void misconfigurationsPointWhereTheGroundTruthSays(String image) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (JsonNode f : inventory(image).path("expected_findings")) {
            if (f.path("kind").asText().equals("misconfig")) {
                expected.add(f.path("id").asText() + " @ " + f.path("where").asText());
            }
        }
        Set<String> actual = new TreeSet<>();
        scan(image).misconfigurations().forEach(m -> actual.add(m.id() + " @ " + m.where()));

        assertThat(actual).containsExactlyElementsOf(expected);
    }

    /** What the analyzers report survives the on-disk layer cache unchanged (purls, properties, findings). */
    @ParameterizedTest
    @ValueSource(strings = {"java-app", "go-app", "misconfig-secrets"})
    void aRescanFromTheLayerCacheGivesTheSameResult(String image, @TempDir Path dir) throws Exception {
        ScanResult first = scanOnce(image, LayerCache.onDisk(dir));
        ScanResult cached = scanOnce(image, LayerCache.onDisk(dir));

        assertThat(cached.layers()).allSatisfy(l -> assertThat(l.cached()).isTrue());
        assertThat(cached.packages()).isEqualTo(first.packages());
        assertThat(cached.secrets()).isEqualTo(first.secrets());
        assertThat(cached.misconfigurations()).isEqualTo(first.misconfigurations());
        assertThat(cached.unreadable()).isEqualTo(first.unreadable());
    }

    /** The deploy key is deleted by a whiteout in layer 3, but layer 1 still carries it. */
    @ParameterizedTest
    @ValueSource(strings = {"misconfig-secrets"})
    void aSecretWhitedOutAboveIsFoundInTheLayerThatHoldsIt(String image) throws Exception {
        ScanResult result = scan(image);
        assertThat(result.secrets()).filteredOn(s -> s.ruleId().equals("private-key-openssh")).singleElement()
                .satisfies(s -> {
                    assertThat(s.path()).isEqualTo("opt/build/deploy_key");
                    assertThat(s.layer()).isEqualTo(result.layers().getFirst().digest());
                    assertThat(s.line()).isEqualTo(1);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"misconfig-secrets"})
    void noSecretValueAppearsInAnyOutput(String image) throws Exception {
        List<String> values = new ArrayList<>();
        inventory(image).path("expected_findings").forEach(f -> {
            if (f.has("value")) {
                values.add(f.path("value").asText());
            }
        });
        ScanResult result = scan(image);
        String everything = result.secrets().toString() + result.misconfigurations() + result.unreadable()
                + result.packages();

        assertThat(values).isNotEmpty();
        for (String v : values) {
            assertThat(everything).doesNotContain(v);
        }
    }

    /** alpine is the corpus's negative control: "PRIVATE KEY" occurs in libcrypto's shared objects. */
    @ParameterizedTest
    @ValueSource(strings = {"alpine-3.10.3", "java-app", "go-app", "debian-bookworm-minbase"})
    void imagesWithoutSecretsYieldNone(String image) throws Exception {
        assertThat(scan(image).secrets()).isEmpty();
    }

    /** Library code assigns variables named password/token all the time; none of that is a secret. */
    @ParameterizedTest
    @ValueSource(strings = {"node-app", "python-app"})
    void codeThatHandlesCredentialsIsNotASecret(String image) throws Exception {
        assertThat(scan(image).secrets()).noneMatch(s -> s.path().matches(".*\\.(?:py|js|md|json)"));
    }
}
