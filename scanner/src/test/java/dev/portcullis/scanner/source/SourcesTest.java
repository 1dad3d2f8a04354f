package dev.portcullis.scanner.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.scanner.ScanListener;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.Scanner;
import dev.portcullis.scanner.analyzer.Analyzers;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.layer.LayerCache;
import dev.portcullis.scanner.layer.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every local transport on the corpus' Alpine image, plus reference parsing and multi-platform indexes. */
class SourcesTest {
    private static final String IMAGE = "alpine-3.10.3";

    @TempDir
    Path tmp;

    static List<ScanResult> scan(String reference, String platform) throws IOException {
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        try (ImageSource source = ImageSources.open(reference)) {
            return scanner.scan(source, platform, ScanListener.NONE);
        }
    }

    static long apkCount(ScanResult r) {
        return r.packages().stream().filter(p -> p.ecosystem() == Ecosystem.APK).count();
    }

    private static Path layout() {
        return Corpus.image(IMAGE).resolve("oci");
    }

    @Test
    void ociLayoutByTagAndWithoutTag() throws Exception {
        assertThat(apkCount(scan("oci:" + layout() + ":" + IMAGE, null).getFirst())).isEqualTo(14);
        assertThat(apkCount(scan("oci:" + layout(), null).getFirst())).isEqualTo(14);
        assertThatThrownBy(() -> scan("oci:" + layout() + ":nope", null)).isInstanceOf(SourceException.class)
                .hasMessageContaining("no image tagged 'nope'").hasMessageContaining(IMAGE);
    }

    @Test
    void ociArchive() throws Exception {
        Path archive = tmp.resolve("alpine.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive));
             Stream<Path> files = Files.walk(layout())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                add(tar, layout().relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        ScanResult r = scan("oci-archive:" + archive + ":" + IMAGE, null).getFirst();
        assertThat(apkCount(r)).isEqualTo(14);
        assertThat(r.complete()).isTrue();
    }

    @Test
    void dockerSaveArchiveWithUncompressedLayers() throws Exception {
        JsonNode manifest = manifestOf(layout());
        Digest configDigest = Digest.parse(manifest.path("config").path("digest").asText());
        byte[] config = Files.readAllBytes(blob(layout(), configDigest));
        Path archive = tmp.resolve("docker.tar");
        ArrayNode layers = Json.mapper().createArrayNode();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            add(tar, configDigest.encoded() + ".json", config);
            int i = 0;
            for (JsonNode l : manifest.path("layers")) {
                byte[] gz = Files.readAllBytes(blob(layout(), Digest.parse(l.path("digest").asText())));
                byte[] raw;
                try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                    raw = in.readAllBytes();
                }
                String path = "layer" + i++ + "/layer.tar";
                add(tar, path, raw);
                layers.add(path);
            }
            ArrayNode top = Json.mapper().createArrayNode();
            ObjectNode image = top.addObject();
            image.put("Config", configDigest.encoded() + ".json");
            image.putArray("RepoTags").add("alpine:3.10.3");
            image.set("Layers", layers);
            add(tar, "manifest.json", Json.write(top));
        }
        ScanResult r = scan("docker-archive:" + archive, null).getFirst();
        assertThat(apkCount(r)).isEqualTo(14);
        assertThat(r.complete()).as("%s", r.unreadable()).isTrue();
        assertThat(r.manifestDigest()).isNull();
        assertThat(scan("docker-archive:" + archive + ":alpine:3.10.3", null)).hasSize(1);
    }

    @Test
    void multiPlatformIndexScansEveryPlatformOrTheOneAsked() throws Exception {
        Path copy = tmp.resolve("multi");
        try (Stream<Path> files = Files.walk(layout())) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(layout().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        JsonNode index = Json.parse(Files.readAllBytes(copy.resolve("index.json")));
        JsonNode entry = index.path("manifests").get(0);
        ObjectNode inner = Json.object();
        inner.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode list = inner.putArray("manifests");
        for (String arch : List.of("amd64", "arm64")) {
            ObjectNode m = list.addObject();
            m.put("mediaType", entry.path("mediaType").asText()).put("digest", entry.path("digest").asText())
                    .put("size", entry.path("size").asLong());
            m.putObject("platform").put("os", "linux").put("architecture", arch);
        }
        list.addObject().put("mediaType", entry.path("mediaType").asText())
                .put("digest", entry.path("digest").asText()).put("size", entry.path("size").asLong())
                .putObject("platform").put("os", "unknown").put("architecture", "unknown");
        byte[] innerBytes = Json.write(inner);
        Digest innerDigest = Digest.sha256(innerBytes);
        Files.write(blob(copy, innerDigest), innerBytes);
        ObjectNode top = Json.object();
        top.put("schemaVersion", 2);
        top.putArray("manifests").addObject().put("mediaType", "application/vnd.oci.image.index.v1+json")
                .put("digest", innerDigest.toString()).put("size", innerBytes.length)
                .putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        Files.write(copy.resolve("index.json"), Json.write(top));
        assertThat(scan("oci:" + copy + ":multi", null)).extracting(ScanResult::platform)
                .containsExactly("linux/amd64", "linux/arm64");
        assertThat(scan("oci:" + copy + ":multi", "linux/arm64")).extracting(ScanResult::platform)
                .containsExactly("linux/arm64");
        assertThatThrownBy(() -> scan("oci:" + copy + ":multi", "linux/s390x"))
                .hasMessageContaining("no image for platform linux/s390x");
    }

    @Test
    void contentAddressedStoreAsTheGateSeesIt() throws Exception {
        JsonNode entry = Json.parse(Files.readAllBytes(layout().resolve("index.json"))).path("manifests").get(0);
        dev.portcullis.oci.Descriptor top = dev.portcullis.oci.ManifestParser.descriptor(entry, "index");
        Scanner scanner = new Scanner(Analyzers.all(), Analyzers.image(), Limits.DEFAULTS, LayerCache.inMemory(),
                Clock.systemUTC());
        // the registry keeps manifests in its database, not among the blobs: the source must ask the right place
        java.util.Map<dev.portcullis.oci.Digest, byte[]> database = java.util.Map.of(top.digest(),
                Files.readAllBytes(blob(layout(), top.digest())));
        try (ImageSource source = ImageSources.fromStore("unscanned/alpine@" + top.digest(), top,
                d -> java.util.Optional.ofNullable(database.get(d)), d -> {
                    if (d.equals(top.digest())) {
                        throw new java.nio.file.NoSuchFileException("manifests are not blobs");
                    }
                    return Files.newInputStream(blob(layout(), d));
                })) {
            ScanResult r = scanner.scan(source, null, ScanListener.NONE).getFirst();
            assertThat(apkCount(r)).isEqualTo(14);
            assertThat(r.manifestDigest()).isEqualTo(top.digest());
        }
    }

    @Test
    void referencesAreParsedLikeDockerDoes() throws Exception {
        assertThat(RegistryReference.parse("alpine")).isEqualTo(new RegistryReference("docker.io",
                dev.portcullis.oci.RepositoryName.of("library/alpine"), "latest"));
        RegistryReference r = RegistryReference.parse("localhost:5000/team/app:1.2");
        assertThat(r.host()).isEqualTo("localhost:5000");
        assertThat(r.name().value()).isEqualTo("team/app");
        assertThat(r.reference()).isEqualTo("1.2");
        assertThat(RegistryReference.parse("ghcr.io/o/app@sha256:" + "a".repeat(64)).byDigest()).isTrue();
        assertThat(ImageSources.pathAndTag("/a/b:c/d")).containsExactly("/a/b:c/d", null);
        assertThat(ImageSources.pathAndTag("dir:v1")).containsExactly("dir", "v1");
        assertThatThrownBy(() -> ImageSources.open("ftp:x")).hasMessageContaining("unknown transport 'ftp'");
        assertThatThrownBy(() -> ImageSources.open("noTransport")).hasMessageContaining("has no transport");
        assertThatThrownBy(() -> ImageSources.open("oci:/does/not/exist")).isInstanceOf(SourceException.class);
    }

    @Test
    void dockerConfigCredentialsAreReadAndNeverPrinted() {
        String auth = java.util.Base64.getEncoder().encodeToString("me:s3cret".getBytes(StandardCharsets.UTF_8));
        RegistryCredentials c = RegistryCredentials.parseDockerConfig(("{\"auths\":{\"https://index.docker.io/v1/\":"
                + "{\"auth\":\"" + auth + "\"},\"ghcr.io\":{\"username\":\"u\",\"password\":\"p\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.forHost("docker.io")).contains(new RegistryCredentials.Basic("me", "s3cret"));
        assertThat(c.forHost("ghcr.io")).isPresent();
        assertThat(c.toString() + c.forHost("docker.io").orElseThrow()).doesNotContain("s3cret");
    }

    static JsonNode manifestOf(Path layout) throws IOException {
        JsonNode index = Json.parse(Files.readAllBytes(layout.resolve("index.json")));
        Digest d = Digest.parse(index.path("manifests").get(0).path("digest").asText());
        return Json.parse(Files.readAllBytes(blob(layout, d)));
    }

    static Path blob(Path layout, Digest d) {
        return layout.resolve("blobs").resolve(d.algorithm().id()).resolve(d.encoded());
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
