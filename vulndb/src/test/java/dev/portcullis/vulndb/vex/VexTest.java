package dev.portcullis.vulndb.vex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.vulndb.match.Finding;
import dev.portcullis.vulndb.match.InstalledPackage;
import dev.portcullis.vulndb.model.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VexTest {
    private static Finding finding(String purl, String id, String... aliases) {
        InstalledPackage p = new InstalledPackage("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", purl, "",
                "", null, "", "app/lib/log4j-core-2.14.1.jar");
        return new Finding(Finding.Kind.VULNERABLE, id, List.of(aliases), p, List.of("2.15.0"), Severity.NONE, null,
                null, null, "osv:GHSA", "", null, null);
    }

    @Test
    void openVexStatementMarksMatchingFindingsAndKeepsThem() {
        String doc = """
                {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1",
                 "statements": [{
                   "vulnerability": {"name": "CVE-2021-44228"},
                   "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                   "impact_statement": "JNDI lookups are disabled"}]}
                """;
        Vex vex = new Vex(VexParser.parse("app.openvex.json", doc.getBytes(StandardCharsets.UTF_8)));
        List<Finding> out = vex.apply(List.of(
                finding("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar", "GHSA-jfh8-c2jp-5v3q",
                        "CVE-2021-44228"),
                finding("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "GHSA-7rjr-3q55-vv33",
                        "CVE-2021-45046"),
                finding("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0", "GHSA-jfh8-c2jp-5v3q",
                        "CVE-2021-44228")));
        assertThat(out).hasSize(3);
        assertThat(out.get(0).vex()).isNotNull().satisfies(v -> {
            assertThat(v.status()).isEqualTo("not_affected");
            assertThat(v.justification()).isEqualTo("vulnerable_code_not_in_execute_path");
            assertThat(v.document()).isEqualTo("app.openvex.json");
        });
        assertThat(out.get(1).vex()).as("other vulnerability").isNull();
        assertThat(out.get(2).vex()).as("other version").isNull();
    }

    @Test
    void cycloneDxVexResolvesBomRefsAndMapsStates() {
        String doc = """
                {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
                 "components": [{"bom-ref": "log4j", "type": "library", "name": "log4j-core",
                                 "purl": "pkg:maven/org.apache.logging.log4j/log4j-core"}],
                 "vulnerabilities": [{"id": "CVE-2021-45046", "analysis": {"state": "resolved", "detail": "patched"},
                                      "affects": [{"ref": "log4j"}]}]}
                """;
        List<VexStatement> statements = VexParser.parse("bom.cdx.json", doc.getBytes(StandardCharsets.UTF_8));
        List<Finding> out = new Vex(statements).apply(List.of(
                finding("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "GHSA-7rjr-3q55-vv33",
                        "CVE-2021-45046")));
        assertThat(out.getFirst().vex().status()).isEqualTo("fixed");
        assertThat(out.getFirst().vex().detail()).isEqualTo("patched");
    }

    @Test
    void malformedDocumentsAreRefusedWhole() {
        assertThatThrownBy(() -> VexParser.parse("x", "{\"statements\": [{\"status\": \"maybe\"}]}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(VexException.class).hasMessageContaining("x#statements[0]");
        assertThatThrownBy(() -> VexParser.parse("y", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(VexException.class);
    }

    @Test
    void documentsThatDisagreeAreReportedAndTheLastOneWins() {
        String vendor = """
                {"statements": [{"vulnerability": {"name": "CVE-2021-44228"},
                  "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core"}], "status": "affected"}]}
                """;
        String team = """
                {"statements": [{"vulnerability": {"name": "CVE-2021-44228"},
                  "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
                  "status": "not_affected", "justification": "vulnerable_code_not_present"}]}
                """;
        List<VexStatement> statements = new ArrayList<>(VexParser.parse("vendor.json",
                vendor.getBytes(StandardCharsets.UTF_8)));
        statements.addAll(VexParser.parse("team.json", team.getBytes(StandardCharsets.UTF_8)));
        List<Vex.Disagreement> seen = new ArrayList<>();
        List<Finding> out = new Vex(statements).apply(List.of(finding(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228")),
                seen::add);
        assertThat(out.getFirst().vex().status()).isEqualTo("not_affected");
        assertThat(seen).singleElement().satisfies(d -> {
            assertThat(d.overruled().document()).isEqualTo("vendor.json");
            assertThat(d.winner().document()).isEqualTo("team.json");
        });
        List<Vex.Disagreement> agreeing = new ArrayList<>();
        new Vex(List.of(statements.getLast(), statements.getLast())).apply(out, agreeing::add);
        assertThat(agreeing).as("statements that agree are no disagreement").isEmpty();
    }
}
