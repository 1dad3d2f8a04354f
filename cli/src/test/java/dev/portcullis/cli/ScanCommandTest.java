package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code portcullis scan} end to end on corpus images: exit codes, formats, messages. */
class ScanCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String oci(String image) {
        return "oci:" + Corpus.image(image).resolve("oci") + ":" + image;
    }

    @Test
    void lockfilesAreReadOnlyWhenAskedFor() throws Exception {
        Path plain = tmp.resolve("plain.json");
        Path withLocks = tmp.resolve("locks.json");
        assertThat(run("scan", oci("node-app"), "--format", "json", "--output", plain.toString()).exit()).isZero();
        assertThat(run("scan", oci("node-app"), "--format", "json", "--lockfiles", "--output", withLocks.toString())
                .exit()).isZero();
        JsonNode without = Json.parse(Files.readAllBytes(plain)).path("results").get(0).path("packages");
        JsonNode with = Json.parse(Files.readAllBytes(withLocks)).path("results").get(0).path("packages");
        assertThat(without.toString()).doesNotContain("app/package-lock.json");
        // the lockfile lists the same 69 installed packages again, now with the lockfile as evidence
        long fromLock = 0;
        for (JsonNode p : with) {
            if (p.path("path").asText().equals("app/package-lock.json")) {
                fromLock++;
            }
        }
        assertThat(fromLock).isEqualTo(without.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian-bookworm-minbase", "alpine-3.10.3", "java-app", "node-app", "python-app",
            "go-app", "misconfig-secrets"})
    void everyCorpusImageScansCompletelyToJson(String image) throws Exception {
        Path report = tmp.resolve(image + ".json");
        Run r = run("scan", oci(image), "--format", "json", "--output", report.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode result = Json.parse(Files.readAllBytes(report)).path("results").get(0);
        assertThat(result.path("complete").asBoolean()).isTrue();
        JsonNode inventory = Json.parse(Files.readAllBytes(Corpus.image(image).resolve("inventory.json")));
        long osExpected = 0;
        for (JsonNode p : inventory.path("packages")) {
            String eco = p.path("ecosystem").asText();
            if (eco.equals("deb") || eco.equals("apk")) {
                osExpected++;
            }
        }
        long osFound = 0;
        for (JsonNode p : result.path("packages")) {
            String eco = p.path("ecosystem").asText();
            if (eco.equals("deb") || eco.equals("apk")) {
                osFound++;
            }
        }
        assertThat(osFound).isEqualTo(osExpected);
    }

    @Test
    void tableGoesToStdoutAndCycloneDxToAFile() throws Exception {
        Run table = run("scan", oci("alpine-3.10.3"));
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("Packages (14)").contains("musl").contains("Alpine Linux");
        Path bom = tmp.resolve("bom.json");
        assertThat(run("scan", oci("alpine-3.10.3"), "--format", "cyclonedx", "-o", bom.toString()).exit()).isZero();
        assertThat(Json.parse(Files.readAllBytes(bom)).path("bomFormat").asText()).isEqualTo("CycloneDX");
    }

    @Test
    void unusableInputIsExitTwoWithOneLineAndNoStackTrace() {
        Run missing = run("scan", "oci:" + tmp.resolve("nothing"));
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).startsWith("portcullis scan:").doesNotContain("\n")
                .doesNotContain("Exception");
        Run transport = run("scan", "ftp://x/y");
        assertThat(transport.exit()).isEqualTo(2);
        assertThat(transport.err()).contains("unknown transport");
        assertThat(run("scan", oci("alpine-3.10.3"), "--format", "xml").exit()).isEqualTo(2);
        assertThat(run("scan").exit()).isEqualTo(2);
        // Options are checked before the image is read: the missing image is not what is reported.
        Run severity = run("scan", "oci:" + tmp.resolve("nothing"), "--fail-on", "hgh");
        assertThat(severity.exit()).isEqualTo(2);
        assertThat(severity.err()).contains("unknown severity 'hgh'");
        Run vex = run("scan", "oci:" + tmp.resolve("nothing"), "--vex", tmp.resolve("no.vex.json").toString());
        assertThat(vex.exit()).isEqualTo(2);
        assertThat(vex.err()).contains("cannot read VEX file");
    }

    @Test
    void corruptLayerGivesAnIncompleteReportAndExitThree() throws Exception {
        Path layout = tmp.resolve("broken");
        byte[] layer = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5};
        Digest layerDigest = layout(layout, layer, Digest.sha256(layer));
        Path report = tmp.resolve("report.json");
        Run r = run("scan", "oci:" + layout, "--format", "json", "-o", report.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("incomplete").contains(layerDigest.toString());
        JsonNode result = Json.parse(Files.readAllBytes(report)).path("results").get(0);
        assertThat(result.path("complete").asBoolean()).isFalse();
        assertThat(result.path("unreadable")).isNotEmpty();
    }

    /** Writes a one-layer OCI image layout; returns the layer's digest. */
    private static Digest layout(Path layout, byte[] layer, Digest diffId) throws Exception {
        Digest layerDigest = write(layout, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = write(layout, config);
        ObjectNode manifest = Json.object();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest.toString()).put("size", config.length);
        manifest.putArray("layers").addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip")
                .put("digest", layerDigest.toString()).put("size", layer.length);
        byte[] manifestBytes = Json.write(manifest);
        Digest manifestDigest = write(layout, manifestBytes);
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", manifestDigest.toString()).put("size", manifestBytes.length);
        Files.write(layout.resolve("index.json"), Json.write(index));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return layerDigest;
    }

    /**
     * The corpus's spring-jcl jar (no pom.properties) renamed so that its manifest no longer agrees with the file
     * name: unreadable without an index, identified by its SHA-1 once an index naming it is imported.
     */
    @Test
    void aJarNothingInsideIdentifiesIsIdentifiedByAnImportedSha1Index() throws Exception {
        byte[] jar = corpusFile("java-app", "app/lib/spring-jcl-5.3.17.jar");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("app/lib/jcl.jar");
            entry.setSize(jar.length);
            out.putArchiveEntry(entry);
            out.write(jar);
            out.closeArchiveEntry();
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        }
        Path image = tmp.resolve("renamed");
        layout(image, gz.toByteArray(), Digest.sha256(tar.toByteArray()));
        Path data = tmp.resolve("data");

        Run unknown = run("scan", "oci:" + image, "--format", "json", "--data", data.toString());
        assertThat(unknown.exit()).as(unknown.err()).isEqualTo(3);
        assertThat(unknown.out()).contains("app/lib/jcl.jar").doesNotContain("pkg:maven/org.springframework");

        String sha1 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(jar));
        Path index = tmp.resolve("central.sha1");
        Files.writeString(index, "# portcullis maven-sha1 index 1\n" + sha1 + " org.springframework:spring-jcl:5.3.17\n");
        assertThat(run("db", "import", index.toString(), Corpus.feeds().resolve("ghsa-osv").toString(),
                "--data", data.toString()).exit()).isZero();

        Run known = run("scan", "oci:" + image, "--format", "json", "--data", data.toString());
        assertThat(known.exit()).as(known.err()).isZero();
        JsonNode result = Json.parse(known.out().getBytes(StandardCharsets.UTF_8)).path("results").get(0);
        assertThat(result.path("unreadable")).isEmpty();
        assertThat(result.path("packages").toString()).contains("pkg:maven/org.springframework/spring-jcl@5.3.17",
                "sha1 index");
    }

    /** A file of a corpus image, read from its layers. */
    private static byte[] corpusFile(String image, String path) throws Exception {
        try (var blobs = Files.list(Corpus.image(image).resolve("oci/blobs/sha256"))) {
            for (Path blob : blobs.toList()) {
                byte[] head = new byte[2];
                try (var in = Files.newInputStream(blob)) {
                    if (in.read(head) != 2 || head[0] != 0x1f || head[1] != (byte) 0x8b) {
                        continue;
                    }
                }
                try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                        new java.util.zip.GZIPInputStream(Files.newInputStream(blob)))) {
                    for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                        if (e.getName().replaceFirst("^\\./", "").equals(path)) {
                            return tar.readAllBytes();
                        }
                    }
                }
            }
        }
        throw new IllegalStateException(path + " not in " + image);
    }

    private static Digest write(Path layout, byte[] content) throws Exception {
        Digest d = Digest.sha256(content);
        Path p = layout.resolve("blobs/sha256/" + d.encoded());
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return d;
    }

    /** Renaming the report over a device or pipe would replace it (as root, {@code -o /dev/null} replaced the device). */
    @Test
    void aReportToAPipeIsWrittenIntoThePipe() throws Exception {
        Path fifo = tmp.resolve("report.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        java.util.concurrent.CompletableFuture<byte[]> read = new java.util.concurrent.CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                read.complete(Files.readAllBytes(fifo));
            } catch (java.io.IOException e) {
                read.completeExceptionally(e);
            }
        });
        Run r = run("scan", oci("misconfig-secrets"), "--format", "json", "-o", fifo.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(new String(read.get(30, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8))
                .contains("\"results\"");
        reader.join();
    }

    @Test
    void anImageWithoutPackagesDoesNotOpenTheDatabase() throws Exception {
        Path data = tmp.resolve("garbage-db");
        Files.createDirectories(data);
        Files.writeString(data.resolve("portcullis.db"), "not a database"); // opening it would fail the scan
        Run r = run("scan", oci("misconfig-secrets"), "--format", "json", "--data", data.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(run("scan", oci("go-app"), "--format", "json", "--data", data.toString()).exit()).isEqualTo(2);
    }

    @Test
    void failOnCountsSecretsAndMisconfigurationsByTheirSeverity() {
        // misconfig-secrets has no packages: what fails it is its AWS secret key and npm token (CRITICAL)
        Run critical = run("scan", oci("misconfig-secrets"), "--fail-on", "critical", "--data",
                tmp.resolve("no-db").toString());
        assertThat(critical.exit()).as(critical.err()).isEqualTo(1);
        assertThat(critical.err().lines().filter(l -> l.contains("--fail-on")))
                .containsExactly("portcullis scan: --fail-on critical: 2 secrets at or above CRITICAL");
        Run high = run("scan", oci("misconfig-secrets"), "--fail-on", "high", "--data", tmp.resolve("no-db").toString());
        assertThat(high.err()).contains("1 misconfiguration at or above HIGH", "5 secrets at or above HIGH");
    }
}
