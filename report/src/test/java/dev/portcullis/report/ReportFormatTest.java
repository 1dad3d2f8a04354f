package dev.portcullis.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import dev.portcullis.oci.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;

/**
 * Every format against a golden file, the JSON report against its documented schema, and the page's escaping of
 * hostile image content. Run with {@code -Dportcullis.updateGoldens=true} to rewrite the golden files after an
 * intended change, then review the diff.
 */
class ReportFormatTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Path SCHEMA = Path.of("../docs/schemas/verdict-report.schema.json");
    private static final String HOSTILE = "AWS key <script>alert('x')</script> & \"quoted\"";

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void matchesGoldenFile(ReportFormat format) throws Exception {
        String actual = new String(format.render(Fixtures.rejected("AWS access key")), StandardCharsets.UTF_8);
        Path golden = GOLDEN.resolve("rejected." + format.extension());
        if (Boolean.getBoolean("portcullis.updateGoldens")) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    private static JsonSchema schema() throws Exception {
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    @Test
    void jsonReportsFollowTheDocumentedSchema() throws Exception {
        JsonSchema schema = schema();
        for (VerdictReport r : new VerdictReport[] {Fixtures.rejected(HOSTILE), Fixtures.brokenGlass()}) {
            JsonNode doc = Json.parse(ReportFormat.JSON.render(r));
            assertThat(schema.validate(doc)).isEmpty();
        }
        ObjectNode broken = (ObjectNode) Json.parse(ReportFormat.JSON.render(Fixtures.rejected(HOSTILE)));
        ((ObjectNode) broken.get("verdict")).put("decision", "maybe");
        assertThat(schema.validate(broken)).as("the schema check can fail").isNotEmpty();
    }

    @Test
    void jsonNamesWhatToUpgradeAndWhatAnExceptionAccepted() {
        JsonNode doc = Json.parse(ReportFormat.JSON.render(Fixtures.rejected(HOSTILE)));
        JsonNode rejection = doc.path("verdict").path("rejections").get(0);
        assertThat(rejection.path("item").asText()).isEqualTo("GHSA-jfh8-c2jp-5v3q");
        assertThat(rejection.path("fixedVersions").get(0).asText()).isEqualTo("2.15.0");
        JsonNode findings = doc.path("findings");
        assertThat(findings.get(0).path("severity").asText()).isEqualTo("critical");
        assertThat(findings.findValuesAsText("status")).containsExactly("excepted", "rejects", "none");
        assertThat(doc.path("summary").path("findingsBySeverity").path("critical").asInt()).isEqualTo(2);
    }

    @Test
    void sarifHasOneRulePerItemAndSuppressesExceptedFindings() {
        JsonNode run = Json.parse(ReportFormat.SARIF.render(Fixtures.rejected(HOSTILE))).path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("rules").findValuesAsText("id")).containsExactly(
                "CVE-2023-4911", "GHSA-7rjr-3q55-vv33", "GHSA-jfh8-c2jp-5v3q", "aws-access-key", "runs-as-root");
        JsonNode results = run.path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(1).path("level").asText()).isEqualTo("error");
        assertThat(results.get(1).path("locations").get(0).path("physicalLocation").path("artifactLocation")
                .path("uri").asText()).isEqualTo("app.jar");
        assertThat(results.get(0).path("suppressions").get(0).path("justification").asText()).contains("exc-1");
        assertThat(results.get(2).path("level").asText()).isEqualTo("note");
        assertThat(results.get(4).path("level").asText()).isEqualTo("warning");
    }

    @Test
    void junitIsWellFormedXmlWithOneFailurePerRejection() throws Exception {
        byte[] xml = ReportFormat.JUNIT.render(Fixtures.rejected(HOSTILE));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml));
        assertThat(d.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(d.getElementsByTagName("failure").item(0).getTextContent()).contains("upgrade", "2.15.0");
        assertThat(d.getElementsByTagName("failure").item(1).getAttributes().getNamedItem("message")
                .getNodeValue()).isEqualTo(HOSTILE);
    }

    @Test
    void htmlEscapesImageContentAndLoadsNothing() {
        String html = new String(ReportFormat.HTML.render(Fixtures.rejected(HOSTILE)), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("&amp; &quot;quoted&quot;");
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=").doesNotContain("@import").doesNotContain("url(");
        assertThat(html).contains("default-src 'none'");
    }

    @Test
    void htmlShowsFixesAndBreakGlass() {
        String html = new String(ReportFormat.HTML.render(Fixtures.brokenGlass()), StandardCharsets.UTF_8);
        assertThat(html).contains("break-glass").contains("incident 42 hotfix").contains("upgrade to <code>2.15.0");
        assertThat(html).contains(Fixtures.APP.toString());
    }
}
