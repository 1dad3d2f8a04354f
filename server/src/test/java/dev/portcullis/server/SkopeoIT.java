package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.testing.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * skopeo (containers/image, the library behind podman and buildah) copies every corpus image into the registry and
 * back; digests are compared with the corpus ground truth ({@code digests.json}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkopeoIT {
    private TestServer server;
    private Http http;
    private String host;
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        Assumptions.assumeTrue(skopeoAvailable(), "skopeo is not installed (apt-get install skopeo; .ci/run does)");
        Corpus.require();
        server = TestServer.start();
        http = server.http();
        host = "127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static boolean skopeoAvailable() {
        try {
            Process p = new ProcessBuilder("skopeo", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("skopeo finished: " + command).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }

    private static List<Path> corpusImages() throws IOException {
        try (Stream<Path> dirs = Files.list(Corpus.require().resolve("images"))) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("oci"))).sorted().toList();
        }
    }

    private static String refName(Path layout) {
        JsonNode index = Json.parse(read(layout.resolve("index.json")));
        return index.get("manifests").get(0).get("annotations").get("org.opencontainers.image.ref.name").asText();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Digest sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Digest.of(Digest.Algorithm.SHA256, md.digest());
    }

    private static Path blob(Path layout, String digest) {
        Digest d = Digest.parse(digest);
        return layout.resolve("blobs").resolve(d.algorithm().id()).resolve(d.encoded());
    }

    @Test
    void everyCorpusImageRoundTripsWithItsDigests() throws Exception {
        for (Path image : corpusImages()) {
            String name = image.getFileName().toString();
            JsonNode truth = Json.parse(read(image.resolve("digests.json")));
            Path layout = image.resolve("oci");
            String repo = "unscanned/corpus/" + name;
            skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":" + refName(layout),
                    "docker://" + host + "/" + repo + ":latest");

            HttpResponse<byte[]> manifest = http.get("/v2/" + repo + "/manifests/latest", "Accept",
                    MediaType.OCI_MANIFEST);
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).as(name)
                    .contains(truth.get("manifest").asText());
            assertThat(Digest.sha256(manifest.body()).toString()).isEqualTo(truth.get("manifest").asText());

            Path back = work.resolve("back-" + name);
            skopeo("copy", "--src-tls-verify=false", "docker://" + host + "/" + repo + ":latest",
                    "oci:" + back + ":back");
            JsonNode backIndex = Json.parse(read(back.resolve("index.json")));
            assertThat(backIndex.get("manifests").get(0).get("digest").asText()).as(name)
                    .isEqualTo(truth.get("manifest").asText());
            JsonNode backManifest = Json.parse(read(blob(back, truth.get("manifest").asText())));
            assertThat(backManifest.get("config").get("digest").asText()).isEqualTo(truth.get("config").asText());
            assertThat(sha256(blob(back, truth.get("config").asText())).toString())
                    .isEqualTo(truth.get("config").asText());
            for (JsonNode layer : truth.get("layers")) {
                Path file = blob(back, layer.get("digest").asText());
                assertThat(Files.size(file)).isEqualTo(layer.get("size").asLong());
                assertThat(sha256(file).toString()).as(name + " layer").isEqualTo(layer.get("digest").asText());
            }
        }
    }

    @Test
    void dockerSchema2ConversionRoundTrips() throws Exception {
        // skopeo rewrites the OCI manifest as a Docker schema 2 manifest: the layers keep their digests.
        Path image = Corpus.image("alpine-3.10.3");
        JsonNode truth = Json.parse(read(image.resolve("digests.json")));
        Path layout = image.resolve("oci");
        skopeo("copy", "--format", "v2s2", "--dest-tls-verify=false", "oci:" + layout + ":" + refName(layout),
                "docker://" + host + "/unscanned/corpus/docker-format:latest");
        HttpResponse<byte[]> got = http.get("/v2/unscanned/corpus/docker-format/manifests/latest", "Accept",
                MediaType.DOCKER_MANIFEST);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).contains(MediaType.DOCKER_MANIFEST);
        JsonNode manifest = Json.parse(got.body());
        assertThat(manifest.get("mediaType").asText()).isEqualTo(MediaType.DOCKER_MANIFEST);
        assertThat(manifest.get("layers").get(0).get("digest").asText())
                .isEqualTo(truth.get("layers").get(0).get("digest").asText());

        Path back = work.resolve("docker-format-back");
        skopeo("copy", "--src-tls-verify=false", "docker://" + host + "/unscanned/corpus/docker-format:latest",
                "dir:" + back);
        assertThat(sha256(back.resolve(Digest.parse(truth.get("layers").get(0).get("digest").asText()).encoded()))
                .toString()).isEqualTo(truth.get("layers").get(0).get("digest").asText());
    }

    @Test
    void multiArchIndexRoundTrips() throws Exception {
        // An OCI layout whose index lists two corpus images as two platforms.
        List<Path> images = corpusImages();
        Path amd64 = images.stream().filter(p -> p.getFileName().toString().startsWith("alpine")).findFirst()
                .orElse(images.get(0));
        Path arm64 = images.stream().filter(p -> p.getFileName().toString().equals("go-app")).findFirst()
                .orElse(images.get(1));
        Path layout = work.resolve("multi");
        Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<ObjectNode> children = new ArrayList<>();
        for (Path image : List.of(amd64, arm64)) {
            Path src = image.resolve("oci");
            try (Stream<Path> blobs = Files.list(src.resolve("blobs/sha256"))) {
                for (Path b : blobs.toList()) {
                    Path target = layout.resolve("blobs/sha256").resolve(b.getFileName());
                    if (!Files.exists(target)) {
                        Files.copy(b, target);
                    }
                }
            }
            ObjectNode child = (ObjectNode) Json.parse(read(src.resolve("index.json"))).get("manifests").get(0)
                    .deepCopy();
            child.remove("annotations");
            child.with("platform").put("architecture", image == amd64 ? "amd64" : "arm64");
            children.add(child);
        }
        byte[] index = Fixtures.index(MediaType.OCI_INDEX, children, null, null);
        Digest indexDigest = Digest.sha256(index);
        Files.write(layout.resolve("blobs/sha256").resolve(indexDigest.encoded()), index);
        ObjectNode top = Json.object();
        top.put("schemaVersion", 2);
        top.put("mediaType", MediaType.OCI_INDEX);
        ObjectNode ref = Fixtures.descriptor(MediaType.OCI_INDEX, indexDigest, index.length);
        ref.putObject("annotations").put("org.opencontainers.image.ref.name", "multi");
        top.putArray("manifests").add(ref);
        Files.write(layout.resolve("index.json"), Json.write(top));

        skopeo("copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:" + layout + ":multi",
                "docker://" + host + "/unscanned/corpus/multi:latest");
        HttpResponse<byte[]> got = http.get("/v2/unscanned/corpus/multi/manifests/latest", "Accept",
                MediaType.OCI_INDEX);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(index);
        assertThat(got.headers().firstValue("Docker-Content-Digest")).contains(indexDigest.toString());
        for (ObjectNode child : children) {
            assertThat(http.head("/v2/unscanned/corpus/multi/manifests/" + child.get("digest").asText()).statusCode())
                    .isEqualTo(200);
        }

        Path back = work.resolve("multi-back");
        skopeo("copy", "--all", "--preserve-digests", "--src-tls-verify=false",
                "docker://" + host + "/unscanned/corpus/multi:latest", "oci:" + back + ":multi");
        JsonNode backIndex = Json.parse(read(back.resolve("index.json")));
        assertThat(backIndex.get("manifests").get(0).get("digest").asText()).isEqualTo(indexDigest.toString());
        for (ObjectNode child : children) {
            assertThat(blob(back, child.get("digest").asText())).exists();
        }
    }

    @Test
    void copyBetweenRepositoriesMountsInsteadOfUploading() throws Exception {
        Path image = Corpus.image("java-app");
        String truth = Json.parse(read(image.resolve("digests.json"))).get("manifest").asText();
        Path layout = image.resolve("oci");
        skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":" + refName(layout),
                "docker://" + host + "/unscanned/mount/source:v1");
        int layers = Json.parse(read(image.resolve("digests.json"))).get("layers").size();
        double uploadsBefore = requests("PUT", "/v2/{name}/blobs/uploads/{uuid}", "201");
        double mountsBefore = requests("POST", "/v2/{name}/blobs/uploads/", "201");
        skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + host
                + "/unscanned/mount/source:v1",
                "docker://" + host + "/unscanned/mount/target:v1");
        assertThat(requests("POST", "/v2/{name}/blobs/uploads/", "201") - mountsBefore).as("layers mounted")
                .isEqualTo(layers);
        // containers/image always streams the (small) config blob through a normal upload.
        assertThat(requests("PUT", "/v2/{name}/blobs/uploads/{uuid}", "201") - uploadsBefore)
                .as("blobs uploaded again").isLessThanOrEqualTo(1);
        HttpResponse<byte[]> copied = http.head("/v2/unscanned/mount/target/manifests/v1", "Accept",
                MediaType.OCI_MANIFEST);
        assertThat(copied.headers().firstValue("Docker-Content-Digest")).contains(truth);
        JsonNode manifest = Json.parse(http.get("/v2/unscanned/mount/target/manifests/v1").body());
        for (JsonNode layer : manifest.get("layers")) {
            assertThat(http.head("/v2/unscanned/mount/target/blobs/" + layer.get("digest").asText()).statusCode())
                    .isEqualTo(200);
        }
    }

    /** How many requests of a route answered a status, from the server's own metrics. */
    private double requests(String method, String route, String status) {
        String text = new String(http.get("/metrics").body(), StandardCharsets.UTF_8);
        return text.lines().filter(l -> l.startsWith("portcullis_http_requests_total{"))
                .filter(l -> l.contains("route=\"" + route + "\"") && l.contains("method=\"" + method + "\"")
                        && l.contains("status=\"" + status + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
