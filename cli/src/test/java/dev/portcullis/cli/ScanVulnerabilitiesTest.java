package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code portcullis scan} with the vulnerability database, end to end: real corpus images scanned by the real
 * scanner and matched against the whole imported feed tree must report exactly the corpus's expected matches
 * (read from {@code expected-matches.json}), in every output format.
 */
class ScanVulnerabilitiesTest {
    @TempDir
    static Path data;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void importFeeds() {
        Run r = run("db", "import", Corpus.feeds().toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static String image(String name) {
        return "oci:" + Corpus.image(name).resolve("oci");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java-app", "node-app", "python-app", "go-app", "alpine-3.10.3"})
    void scanReportsExactlyTheExpectedMatches(String name) throws IOException {
        Run r = run("scan", image(name), "--format", "json", "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode vulns = Json.parse(r.out().getBytes(StandardCharsets.UTF_8)).path("results").get(0)
                .path("vulnerabilities");
        Set<String> got = new TreeSet<>();
        for (JsonNode v : vulns) {
            assertThat(v.path("kind").asText()).as(v.toString()).isEqualTo("vulnerable");
            got.add(v.path("package").asText() + " " + v.path("path").asText() + " " + v.path("id").asText());
        }
        JsonNode expected = Json.parse(Files.readAllBytes(Corpus.image(name).resolve("expected-matches.json")));
        Set<String> want = new TreeSet<>();
        for (JsonNode m : expected.path("matches")) {
            // the legacy Node Security WG format is reported as skipped by the importer (issue 5)
            if (!m.path("source").asText().startsWith("nodejs-security-wg/")) {
                want.add(m.path("package").asText() + " " + m.path("path").asText() + " "
                        + m.path("advisory").asText());
            }
        }
        assertThat(got).isEqualTo(want);
    }

    @Test
    void everyFormatCarriesTheVulnerabilitiesAndFailOnSetsTheExitCode() {
        String java = image("java-app");
        Run cdx = run("scan", java, "--format", "cyclonedx", "--data", data.toString());
        JsonNode bom = Json.parse(cdx.out().getBytes(StandardCharsets.UTF_8));
        List<String> affects = new ArrayList<>();
        for (JsonNode v : bom.path("vulnerabilities")) {
            if (v.path("id").asText().equals("GHSA-jfh8-c2jp-5v3q")) {
                v.path("affects").forEach(a -> affects.add(a.path("ref").asText()));
                assertThat(v.path("ratings").get(0).path("method").asText()).startsWith("CVSSv3");
            }
        }
        assertThat(affects).contains("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1#app/lib/log4j-core-2.14.1.jar");

        Run sarif = run("scan", java, "--format", "sarif", "--data", data.toString());
        assertThat(sarif.out()).contains("\"ruleId\" : \"GHSA-jfh8-c2jp-5v3q\"");
        Run spdx = run("scan", java, "--format", "spdx", "--data", data.toString());
        assertThat(spdx.out()).contains("\"referenceCategory\" : \"SECURITY\"",
                "https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q");
        Run table = run("scan", java, "--data", data.toString());
        assertThat(table.out()).contains("CRITICAL", "GHSA-jfh8-c2jp-5v3q (CVE-2021-44228)", "fixed in 2.15.0");

        assertThat(run("scan", java, "--fail-on", "critical", "--data", data.toString()).code()).isEqualTo(1);
        // alpine: no vulnerability matches and its worst misconfiguration (runs as root) is HIGH
        assertThat(run("scan", image("alpine-3.10.3"), "--fail-on", "critical", "--data", data.toString()).code())
                .isZero();
        Run high = run("scan", image("alpine-3.10.3"), "--fail-on", "high", "--data", data.toString());
        assertThat(high.code()).isEqualTo(1);
        assertThat(high.err()).contains("--fail-on high: 1 misconfiguration at or above HIGH")
                .doesNotContain("vulnerabilit");
    }

    @Test
    void failOnNamesEachKindItCounted() {
        Run r = run("scan", image("python-app"), "--fail-on", "high", "--data", data.toString());
        assertThat(r.code()).isEqualTo(1);
        // python-app: 2 HIGH advisories, 6 whose advisory gives no severity, every package evaluable
        assertThat(r.err().strip()).isEqualTo("portcullis scan: --fail-on high: 2 vulnerabilities at or above HIGH,"
                + " 6 vulnerabilities of unknown severity (unknown severities count: the check fails closed)");
    }

    @Test
    void tableHasHeadersAlignedColumnsSeverityOrderAndASummary() {
        Run r = run("scan", image("java-app"), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("SEVERITY  PACKAGE")).findFirst()
                .orElseThrow());
        int version = lines.get(header).indexOf("VERSION");
        int vulnerability = lines.get(header).indexOf("VULNERABILITY");
        List<String> order = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE", "UNKNOWN", "UNEVALUABLE");
        int previous = 0;
        int rows = 0;
        for (String row : lines.subList(header + 1, lines.size())) {
            if (row.isEmpty()) {
                break;
            }
            rows++;
            // every column starts where its header does, even after org.apache.logging.log4j:log4j-core
            assertThat(row.charAt(version - 1)).as(row).isEqualTo(' ');
            assertThat(row.charAt(version)).as(row).isNotEqualTo(' ');
            assertThat(row.charAt(vulnerability - 1)).as(row).isEqualTo(' ');
            assertThat(row.charAt(vulnerability)).as(row).isNotEqualTo(' ');
            int rank = order.indexOf(row.substring(0, row.indexOf(' ')));
            assertThat(rank).as(row).isGreaterThanOrEqualTo(previous);
            previous = rank;
        }
        assertThat(rows).isGreaterThan(10);
        assertThat(lines.get(header - 1)).isEqualTo("Vulnerabilities (" + rows + ")");
        assertThat(lines.getLast()).startsWith("Summary   ").contains("packages; " + rows + " vulnerabilities (CRITICAL ")
                .contains("misconfiguration").contains("secret").endsWith("complete");
    }

    @Test
    void everyFormatNamesPortcullisWithItsVersion() {
        String version = Main.version();
        assertThat(version).isNotBlank().isNotEqualTo("unknown");
        String java = image("java-app");
        JsonNode sarif = Json.parse(run("scan", java, "--format", "sarif", "--data", data.toString()).out()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(sarif.path("runs").get(0).path("tool").path("driver").path("version").asText()).isEqualTo(version);
        JsonNode bom = Json.parse(run("scan", java, "--format", "cyclonedx", "--data", data.toString()).out()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(bom.path("metadata").path("tools").path("components").get(0).path("version").asText())
                .isEqualTo(version);
        JsonNode spdx = Json.parse(run("scan", java, "--format", "spdx", "--data", data.toString()).out()
                .getBytes(StandardCharsets.UTF_8));
        assertThat(spdx.path("creationInfo").path("creators").get(0).asText()).isEqualTo("Tool: portcullis-" + version);
    }

    private static Path vex(Path dir, String name, String status, String justification) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/%s",
                 "statements": [{"vulnerability": {"name": "CVE-2021-44228"},
                   "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
                   "status": "%s"%s, "impact_statement": "JNDI lookups are disabled"}]}
                """.formatted(name, status, justification == null ? "" : ", \"justification\": \"" + justification
                + "\""));
        return f;
    }

    @Test
    void cycloneDxVexCarriesTheJustificationInItsOwnField(@TempDir Path dir) throws IOException {
        Path vex = vex(dir, "team.json", "not_affected", "vulnerable_code_not_in_execute_path");
        Run r = run("scan", image("java-app"), "--format", "cyclonedx", "--vex", vex.toString(), "--data",
                data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode analysis = null;
        for (JsonNode v : Json.parse(r.out().getBytes(StandardCharsets.UTF_8)).path("vulnerabilities")) {
            if (v.path("id").asText().equals("GHSA-jfh8-c2jp-5v3q")) {
                analysis = v.path("analysis");
            }
        }
        assertThat(analysis).isNotNull();
        assertThat(analysis.path("state").asText()).isEqualTo("not_affected");
        assertThat(analysis.path("justification").asText()).isEqualTo("code_not_reachable");
        assertThat(analysis.path("detail").asText()).isEqualTo("JNDI lookups are disabled");
    }

    @Test
    void vexDocumentsThatDisagreeAreWarnedAboutAndTheLaterWins(@TempDir Path dir) throws IOException {
        Path vendor = vex(dir, "vendor.json", "affected", null);
        Path team = vex(dir, "team.json", "not_affected", "vulnerable_code_not_present");
        Run r = run("scan", image("java-app"), "--format", "json", "--vex", vendor.toString(), "--vex",
                team.toString(), "--data", data.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("VEX documents disagree on GHSA-jfh8-c2jp-5v3q",
                vendor + " says affected, " + team + " says not_affected", "the later --vex wins");
        assertThat(r.err().lines().filter(l -> l.contains("disagree")).count())
                .as("one warning per advisory and package, not per occurrence").isEqualTo(r.err().lines()
                        .filter(l -> l.contains("disagree")).distinct().count());
        for (JsonNode v : Json.parse(r.out().getBytes(StandardCharsets.UTF_8)).path("results").get(0)
                .path("vulnerabilities")) {
            if (v.path("id").asText().equals("GHSA-jfh8-c2jp-5v3q")
                    && v.path("purl").asText().startsWith("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")) {
                assertThat(v.path("vex").path("status").asText()).isEqualTo("not_affected");
            }
        }
    }

    @Test
    void withoutADatabaseEveryPackageIsUnevaluableAndFailsTheGateClosed(@TempDir Path empty) {
        Run r = run("scan", image("go-app"), "--format", "json", "--fail-on", "critical", "--data", empty.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no vulnerability database");
        assertThat(r.out()).contains("\"kind\" : \"unevaluable\"");
    }

    @Test
    void debianUnfixedIssuesCanBeIgnoredForTheExitCode() {
        String debian = image("debian-bookworm-minbase");
        Run all = run("scan", debian, "--fail-on", "low", "--data", data.toString());
        assertThat(all.code()).isEqualTo(1);
        assertThat(all.err()).contains("vulnerabilities at or above LOW");
        // what is left are the image's misconfigurations (runs as root, setuid files), which have no "fix version"
        Run fixable = run("scan", debian, "--fail-on", "low", "--ignore-unfixed", "--data", data.toString());
        assertThat(fixable.code()).isEqualTo(1);
        assertThat(fixable.err()).contains("misconfigurations at or above LOW").doesNotContain("vulnerabilit");
    }
}
