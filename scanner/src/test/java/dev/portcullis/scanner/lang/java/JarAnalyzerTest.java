package dev.portcullis.scanner.lang.java;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.LayerFile;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.CollectingSink;
import dev.portcullis.scanner.lang.testing.CorpusImage;
import dev.portcullis.scanner.lang.testing.Inventory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class JarAnalyzerTest {
    private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
    private final JarAnalyzer analyzer = new JarAnalyzer();

    @Test
    void findsExactlyTheJavaAppInventory() throws Exception {
        CorpusImage image = CorpusImage.open("java-app");
        CollectingSink sink = image.scan(analyzer);

        assertThat(Inventory.actual(sink.packages)).containsExactlyInAnyOrderElementsOf(
                Inventory.expected(image.inventory()));
        assertThat(sink.unreadable).isEmpty();
    }

    @Test
    void recordsSha1OfEachArchiveAndTheLayer() throws Exception {
        CorpusImage image = CorpusImage.open("java-app");
        CollectingSink sink = image.scan(analyzer);
        String guavaSha1 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-1").digest(image.file("app/lib/guava-29.0-jre.jar")));

        Package lib = sink.packages.stream().filter(p -> p.path().equals("app/lib/guava-29.0-jre.jar"))
                .findFirst().orElseThrow();
        Package nested = sink.packages.stream()
                .filter(p -> p.path().equals("app/fat-app.jar!/BOOT-INF/lib/guava-29.0-jre.jar"))
                .findFirst().orElseThrow();
        assertThat(lib.properties()).containsEntry("sha1", guavaSha1);
        assertThat(nested.properties()).containsEntry("sha1", guavaSha1);
        assertThat(lib.layer()).isEqualTo(image.layers().get(0));
        assertThat(nested.layer()).isEqualTo(image.layers().get(1));
        Package spring = sink.packages.stream().filter(p -> p.name().equals("org.springframework:spring-core"))
                .findFirst().orElseThrow();
        assertThat(spring.properties()).containsEntry("evidence", "META-INF/MANIFEST.MF");
        assertThat(lib.licenses()).containsExactly("Apache-2.0");
        assertThat(sink.packages.stream().filter(p -> p.path().equals("app/shaded-app-1.0.0.jar")))
                .allSatisfy(p -> assertThat(p.licenses()).isEmpty());
    }

    @Test
    void readsNestedArchivesStoredAndDeflatedToAnyDepthWithinBounds() throws Exception {
        byte[] inner = jar(entry("META-INF/maven/org.example/inner/pom.properties", pom("org.example", "inner", "3.0"), false));
        byte[] middle = jar(entry("META-INF/maven/org.example/middle/pom.properties", pom("org.example", "middle", "2.0"), true),
                entry("WEB-INF/lib/inner-3.0.jar", inner, false));
        byte[] outer = jar(entry("META-INF/maven/org.example/app/pom.properties", pom("org.example", "app", "1.0"), true),
                entry("lib/middle-2.0.war", middle, true));

        CollectingSink sink = analyze("srv/app.ear", outer);

        assertThat(sink.unreadable).isEmpty();
        assertThat(sink.packages).extracting(p -> p.purl().canonicalize() + " " + p.path()).containsExactlyInAnyOrder(
                "pkg:maven/org.example/inner@3.0 srv/app.ear!/lib/middle-2.0.war!/WEB-INF/lib/inner-3.0.jar",
                "pkg:maven/org.example/middle@2.0 srv/app.ear!/lib/middle-2.0.war",
                "pkg:maven/org.example/app@1.0 srv/app.ear");
    }

    @Test
    void fallsBackToManifestThenFileName() throws Exception {
        byte[] withManifest = jar(entry("META-INF/MANIFEST.MF", manifest(
                "Implementation-Title: widget", "Implementation-Version: 4.2", "Implementation-Vendor-Id: org.acme"), true));
        byte[] bundle = jar(entry("META-INF/MANIFEST.MF", manifest(
                "Bundle-SymbolicName: org.acme.gadget;singleton:=true", "Bundle-Version: 1.5.0",
                "Bundle-License: \"https://opensource.org/licenses/MIT\";description=MIT, Custom-1.0"), true));
        byte[] bare = jar(entry("org/springframework/x/A.class", new byte[] {1, 2}, true));

        assertThat(analyze("a/widget.jar", withManifest).packages).extracting(p -> p.purl().canonicalize())
                .containsExactly("pkg:maven/org.acme/widget@4.2");
        assertThat(analyze("a/gadget-1.5.0.jar", bundle).packages).extracting(p -> p.purl().canonicalize())
                .containsExactly("pkg:maven/org.acme/gadget@1.5.0");
        assertThat(analyze("a/gadget-1.5.0.jar", bundle).packages.getFirst().licenses())
                .containsExactly("MIT", "Custom-1.0");
        CollectingSink byName = analyze("a/spring-beans-5.3.17.jar", bare);
        assertThat(byName.packages).extracting(p -> p.purl().canonicalize())
                .containsExactly("pkg:maven/org.springframework/spring-beans@5.3.17");
        assertThat(byName.packages.getFirst().properties()).containsEntry("evidence", "file name");
    }

    @Test
    void manifestIdentityCountsOnlyWhereItAgreesWithTheFileName() throws Exception {
        byte[] widget = jar(entry("META-INF/MANIFEST.MF", manifest("Implementation-Title: widget",
                "Implementation-Version: 4.2", "Implementation-Vendor-Id: org.acme"), true));
        // renamed, or a manifest copied from another artifact or release: ambiguous, so reported
        assertThat(analyze("a/app.jar", widget).packages).isEmpty();
        assertThat(analyze("a/gizmo-4.2.jar", widget).packages).isEmpty();
        assertThat(analyze("a/widget-4.3.jar", widget).packages).isEmpty();
        assertThat(analyze("a/widget-4.3.jar", widget).unreadable).hasSize(1);
        assertThat(analyze("a/widget-4.2.jar", widget).packages).extracting(p -> p.purl().canonicalize())
                .containsExactly("pkg:maven/org.acme/widget@4.2");

        // OSGi pads and dots the version; the module name gives the group
        byte[] osgi = jar(entry("META-INF/MANIFEST.MF", manifest("Bundle-SymbolicName: org.acme.lib.gear",
                "Bundle-Version: 2.0.0.jre", "Automatic-Module-Name: org.acme.gear-core"), true));
        assertThat(analyze("lib/gear-core-2.0-jre.jar", osgi).packages).extracting(p -> p.purl().canonicalize())
                .containsExactly("pkg:maven/org.acme/gear-core@2.0-jre");
        assertThat(MavenCoordinates.sameVersion("5.3.17.RELEASE", "5.3.17")).isTrue();
        assertThat(MavenCoordinates.sameVersion("29.0.0", "29.0-jre")).isFalse();
        assertThat(MavenCoordinates.sameVersion("1.10", "1.1")).isFalse();
    }

    @Test
    void anArchiveThatSaysNothingAboutItselfIsReportedNotSkipped() throws Exception {
        CollectingSink sink = analyze("opt/mystery.jar", jar(entry("a/B.class", new byte[] {1}, true)));

        assertThat(sink.packages).isEmpty();
        assertThat(sink.unreadable).singleElement().satisfies(u -> assertThat(u.path()).isEqualTo("opt/mystery.jar"));
    }

    @Test
    void secretsInConfigurationFilesInsideArchivesAreFound() throws Exception {
        byte[] inner = jar(entry("META-INF/maven/g/lib/pom.properties", pom("g", "lib", "1"), true),
                entry("keys/signing.pem", ("-----BEGIN EC PRIVATE KEY-----\n"
                        + "MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n").getBytes(), true));
        byte[] app = jar(entry("META-INF/maven/g/app/pom.properties", pom("g", "app", "1"), true),
                entry("BOOT-INF/classes/application.properties", ("server.port=8080\n"
                        + "spring.datasource.password=Zr8Qp2Lx7Vt4Nm9Kc3\n").getBytes(), true),
                entry("BOOT-INF/lib/lib-1.jar", inner, false));

        CollectingSink sink = analyze("app/app.jar", app);

        assertThat(sink.secrets).extracting(s -> s.ruleId() + " " + s.path() + ":" + s.line()).containsExactly(
                "generic-secret-assignment app/app.jar!/BOOT-INF/classes/application.properties:2",
                "private-key-ec-pem app/app.jar!/BOOT-INF/lib/lib-1.jar!/keys/signing.pem:1");
        assertThat(sink.secrets.toString()).doesNotContain("Zr8Qp2Lx7Vt4Nm9Kc3");
        assertThat(sink.packages).hasSize(2);
    }

    @Test
    void jarsOfAJavaRuntimeAreNeitherPackagesNorUnreadable() throws Exception {
        byte[] rt = jar(entry("META-INF/MANIFEST.MF", manifest("Implementation-Title: Java Runtime Environment",
                "Implementation-Version: 1.8.0_392", "Specification-Title: Java Platform API Specification"), true),
                entry("java/lang/Object.class", new byte[] {1}, true));
        CollectingSink sink = analyze("usr/lib/jvm/java-8/jre/lib/rt.jar", rt);

        assertThat(sink.packages).isEmpty();
        assertThat(sink.unreadable).isEmpty();
    }

    @Test
    void corruptAndTooDeepArchivesAreUnreadable() throws Exception {
        CollectingSink corrupt = analyze("x/broken.jar", "PK\3\4 this is not a zip".getBytes(StandardCharsets.UTF_8));
        assertThat(corrupt.unreadable).hasSize(1);

        byte[] deep = jar(entry("META-INF/maven/g/leaf/pom.properties", pom("g", "leaf", "1"), true));
        for (int i = 0; i < JarReader.MAX_DEPTH + 1; i++) {
            deep = jar(entry("META-INF/maven/g/l" + i + "/pom.properties", pom("g", "l" + i, "1"), true),
                    entry("lib/n" + i + ".jar", deep, i % 2 == 0));
        }
        CollectingSink tooDeep = analyze("x/deep.jar", deep);
        assertThat(tooDeep.unreadable).singleElement()
                .satisfies(u -> assertThat(u.reason()).contains("nested deeper"));
        assertThat(tooDeep.packages).hasSize(JarReader.MAX_DEPTH + 1);
    }

    @Test
    void aNestedZipBombStopsAtTheInflationBudget() throws Exception {
        // a nested jar holding 40 MiB of zeros deflates to a few tens of KiB: far over 100x the outer size
        byte[] inner = jar(entry("zeros.bin", new byte[40 * 1024 * 1024], false));
        byte[] bomb = jar(entry("META-INF/maven/g/a/pom.properties", pom("g", "a", "1"), true),
                entry("lib/bomb.jar", inner, true));

        CollectingSink sink = analyze("x/bomb.jar", bomb);

        assertThat(sink.packages).isEmpty();
        assertThat(sink.unreadable).singleElement()
                .satisfies(u -> assertThat(u.reason()).contains("decompression ratio"));
    }

    private CollectingSink analyze(String path, byte[] bytes) throws IOException {
        CollectingSink sink = new CollectingSink();
        assertThat(analyzer.accepts(path, bytes.length)).isTrue();
        analyzer.analyze(new LayerFile(LAYER, path, bytes.length, 0644, new ByteArrayInputStream(bytes)), sink);
        return sink;
    }

    record Entry(String name, byte[] content, boolean deflate) {
    }

    static Entry entry(String name, byte[] content, boolean deflate) {
        return new Entry(name, content, deflate);
    }

    static byte[] jar(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Entry e : entries) {
                ZipEntry z = new ZipEntry(e.name());
                if (!e.deflate()) {
                    CRC32 crc = new CRC32();
                    crc.update(e.content());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.content().length);
                    z.setCompressedSize(e.content().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.content());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] pom(String g, String a, String v) {
        return ("#Generated by Maven\ngroupId=" + g + "\nartifactId=" + a + "\nversion=" + v + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] manifest(String... lines) {
        return ("Manifest-Version: 1.0\r\n" + String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
