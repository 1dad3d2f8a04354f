package dev.portcullis.scanner.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.packageurl.PackageURL;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.spdx.jacksonstore.MultiFormatStore;
import org.spdx.library.SpdxModelFactory;
import org.spdx.library.model.v2.SpdxDocument;
import org.spdx.storage.simple.InMemSpdxStore;

/**
 * Every output format against a golden file, from a fixed result with an injected time and UUID. Run with
 * {@code -Dportcullis.updateGoldens=true} to rewrite the files after an intended change, then review the diff.
 */
class ReportGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
    private static final Tool TOOL = Tool.portcullis("1.2.3");
    private static final Supplier<UUID> UUIDS = () -> UUID.fromString("00000000-0000-4000-8000-000000000001");

    static ScanResult result() throws Exception {
        ImageConfig config = ImageConfig.parse("""
                {"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"""
                .getBytes(StandardCharsets.UTF_8));
        List<Package> packages = List.of(
                new Package(Ecosystem.DEB, "libc6", "2.36-9+deb12u14",
                        new PackageURL("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc"),
                        LAYER, "var/lib/dpkg/status", new Package.Source("glibc", "2.36-9+deb12u14"), List.of(),
                        Map.of("arch", "amd64")),
                new Package(Ecosystem.APK, "musl", "1.1.22-r3",
                        new PackageURL("pkg:apk/alpine/musl@1.1.22-r3?arch=x86_64&distro=alpine-3.10.3"), LAYER,
                        "lib/apk/db/installed", new Package.Source("musl", "1.1.22-r3"), List.of("MIT"),
                        Map.of("arch", "x86_64")),
                new Package(Ecosystem.MAVEN, "org.yaml:snakeyaml", "1.30",
                        new PackageURL("pkg:maven/org.yaml/snakeyaml@1.30"), LAYER, "app/lib/snakeyaml-1.30.jar",
                        null, List.of("Apache-2.0"), Map.of("sha1", "8fde7fe2586328ac3c68db92045e1c8759125000")));
        return new ScanResult("oci:/images/demo:1.0",
                Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8)),
                Digest.sha256("config".getBytes(StandardCharsets.UTF_8)), "linux/amd64",
                new OsInfo("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", "etc/os-release",
                        LocalDate.of(2028, 6, 30)),
                packages,
                List.of(new Misconfiguration("no-healthcheck", Severity.LOW, "no HEALTHCHECK", "config.Healthcheck",
                        null, "4.6"), new Misconfiguration("runs-as-root", Severity.HIGH, "Image runs as root",
                        "config.User", "no USER is set", "4.1")),
                List.of(new SecretFinding("private-key", Severity.CRITICAL, "Private key", LAYER, "root/.ssh/id_rsa",
                        1, "-----BEGIN RSA****")),
                List.of(new Unreadable(LAYER, "usr/lib/big.jar", "jar: nested deeper than 8 archives")),
                List.of(new ScanResult.Layer(LAYER, "application/vnd.oci.image.layer.v1.tar+gzip", 1234, null,
                        "ADD rootfs.tar /", 10, 4096, false)),
                config, Instant.parse("2026-01-02T03:04:05Z"));
    }

    static byte[] render(ReportFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format.write(List.of(result()), TOOL, UUIDS, out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void matchesGoldenFile(ReportFormat format) throws Exception {
        String actual = new String(render(format), StandardCharsets.UTF_8);
        Path golden = GOLDEN.resolve("demo." + format.name().toLowerCase() + (format == ReportFormat.TABLE
                ? ".txt" : ".json"));
        if (Boolean.getBoolean("portcullis.updateGoldens")) {
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void cycloneDxIsValidAgainstTheSchema() throws Exception {
        byte[] bom = render(ReportFormat.CYCLONEDX);
        assertThat(new JsonParser().validate(bom, Version.VERSION_16)).isEmpty();
        JsonNode root = Json.parse(bom);
        assertThat(root.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(root.path("components")).hasSize(4);
    }

    @Test
    void spdxIsValidForTheSpdxLibraryAndKeepsEveryPurl() throws Exception {
        byte[] doc = render(ReportFormat.SPDX);
        SpdxModelFactory.init();
        MultiFormatStore store = new MultiFormatStore(new InMemSpdxStore(), MultiFormatStore.Format.JSON);
        SpdxDocument parsed = (SpdxDocument) store.deSerialize(new ByteArrayInputStream(doc), false);
        assertThat(parsed.verify()).isEmpty();
        JsonNode root = Json.parse(doc);
        assertThat(root.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(root.path("packages")).hasSize(4);
        assertThat(root.toString()).contains("pkg:maven/org.yaml/snakeyaml@1.30");
    }

    @Test
    void spdxIsValidAgainstTheOfficialSchema() throws Exception {
        // unpacked from SPDX's tools-java jar by the build (scanner/pom.xml)
        try (var schemaIn = ReportGoldenTest.class.getResourceAsStream("/spdx/resources/spdx-schema-v2.3.json")) {
            assertThat(schemaIn).as("SPDX 2.3 schema on the test classpath").isNotNull();
            com.networknt.schema.JsonSchema schema = com.networknt.schema.JsonSchemaFactory
                    .getInstance(com.networknt.schema.SpecVersion.VersionFlag.V7).getSchema(schemaIn);
            var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(render(ReportFormat.SPDX));
            assertThat(schema.validate(doc)).isEmpty();
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc).remove("spdxVersion");
            assertThat(schema.validate(doc)).as("the schema check can fail").isNotEmpty();
        }
    }

    @Test
    void sarifHasOneRulePerIdAndLocatedResults() throws Exception {
        JsonNode root = Json.parse(render(ReportFormat.SARIF));
        assertThat(root.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = root.path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("rules")).hasSize(3);
        assertThat(run.path("results")).hasSize(3);
        assertThat(run.path("results").get(2).path("locations").get(0).path("physicalLocation").path("region")
                .path("startLine").asInt()).isEqualTo(1);
    }

    @Test
    void everyFormatNamesTheToolWithItsVersion() throws Exception {
        assertThat(Json.parse(render(ReportFormat.SARIF)).path("runs").get(0).path("tool").path("driver")
                .path("version").asText()).isEqualTo("1.2.3");
        JsonNode cdxTool = Json.parse(render(ReportFormat.CYCLONEDX)).path("metadata").path("tools")
                .path("components").get(0);
        assertThat(cdxTool.path("name").asText()).isEqualTo("portcullis");
        assertThat(cdxTool.path("version").asText()).isEqualTo("1.2.3");
        assertThat(Json.parse(render(ReportFormat.SPDX)).path("creationInfo").path("creators").toString())
                .contains("Tool: portcullis-1.2.3");
    }

    @Test
    void tableSortsMostSevereFirstAndEndsWithASummary() throws Exception {
        String table = new String(render(ReportFormat.TABLE), StandardCharsets.UTF_8);
        assertThat(table.indexOf("runs-as-root")).isLessThan(table.indexOf("no-healthcheck"));
        assertThat(table.strip().lines().toList().getLast()).isEqualTo("Summary   3 packages; "
                + "2 misconfigurations (HIGH 1, LOW 1); 1 secret (CRITICAL 1); INCOMPLETE: 1 unreadable");
    }
}
