package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.auth.Principal;
import dev.portcullis.auth.RequestContext;
import dev.portcullis.gate.ExceptionRequest;
import dev.portcullis.gate.Gate;
import dev.portcullis.gate.GateImage;
import dev.portcullis.gate.ImageState;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.oci.testing.MovableClock;
import dev.portcullis.policy.ExceptionGrant;
import dev.portcullis.policy.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The quarantine gate end to end on the real server: every corpus image pushed with skopeo into unscanned/ and
 * judged under the default organisation policy with the corpus feeds imported; promoted images pulled from scanned/
 * with the same digest and their SBOM and report found with the referrers API; rejected ones never in scanned/; a
 * multi-platform index; an exception promoting a rejected image without a new push, and its expiry (the server's
 * clock is the test's) taking it back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GateIT {
    private static final Duration VERDICT = Duration.ofMinutes(4);
    private static final RequestContext CTX = new RequestContext("test", "gate-it");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static MovableClock clock;
    private static Path data;
    private static PortcullisServer server;
    private static String host;
    private static final Map<String, GateImage> judged = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(skopeoAvailable(), "skopeo is not installed (apt-get install skopeo; .ci/run does)");
        Corpus.require();
        data = Files.createTempDirectory("portcullis-gate-it-");
        clock = MovableClock.realTime();
        ServerConfig config = ServerConfig.defaults().withListen("127.0.0.1", 0).withDataDir(data).withDev(true)
                .withShutdownTimeout(Duration.ofSeconds(20))
                .withGate(ServerConfig.defaults().gate().withWorkers(2));
        server = new PortcullisServer(config, clock);
        server.vulnDb().importFrom(List.of(Corpus.feeds().toString()));
        server.start();
        host = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            TestServer.deleteTree(data);
        }
    }

    private static Gate gate() {
        return server.gate();
    }

    @Test
    @Order(1)
    void everyCorpusImageIsJudgedUnderTheDefaultPolicy() throws Exception {
        List<Path> images;
        try (Stream<Path> dirs = Files.list(Corpus.require().resolve("images"))) {
            images = dirs.filter(d -> Files.isDirectory(d.resolve("oci"))).sorted().toList();
        }
        for (Path image : images) {
            String name = image.getFileName().toString();
            skopeo("copy", "--dest-tls-verify=false", "oci:" + image.resolve("oci") + ":" + name,
                    "docker://" + host + "/unscanned/e2e/" + name + ":1");
        }
        for (Path image : images) {
            String name = image.getFileName().toString();
            GateImage g = gate().awaitVerdict(RepositoryName.of("unscanned/e2e/" + name), "1", VERDICT).orElseThrow();
            judged.put(name, g);
        }
        assertThat(judged.get("alpine-3.10.3").state()).as(explain(judged.get("alpine-3.10.3")))
                .isEqualTo(ImageState.PROMOTED);
        assertThat(judged.get("debian-bookworm-minbase").state()).as(explain(judged.get("debian-bookworm-minbase")))
                .isEqualTo(ImageState.PROMOTED);
        assertThat(judged.get("java-app").state()).isEqualTo(ImageState.REJECTED);
        assertThat(judged.get("misconfig-secrets").state()).isEqualTo(ImageState.REJECTED);
        // the rejection of java-app names Log4Shell, the package, and what fixes it
        assertThat(judged.get("java-app").verdict().orElseThrow().rejections()).anySatisfy(r -> {
            assertThat(List.of(r.item(), String.join(",", r.aliases()))).anyMatch(s -> s.contains("CVE-2021-44228")
                    || s.contains("GHSA-jfh8-c2jp-5v3q"));
            assertThat(r.fixedVersions()).isNotEmpty();
            assertThat(r.installedVersion()).isEqualTo("2.14.1");
        });
        // node-app: fixable high npm advisories (and a secret-looking assignment); python-app: fixable PyYAML and
        // Django advisories; go-app: its Go main module built as (devel) is first-party, and no fixable finding
        assertThat(judged.get("node-app").state()).as(explain(judged.get("node-app"))).isEqualTo(ImageState.REJECTED);
        assertThat(judged.get("python-app").state()).as(explain(judged.get("python-app")))
                .isEqualTo(ImageState.REJECTED);
        assertThat(judged.get("go-app").state()).as(explain(judged.get("go-app"))).isEqualTo(ImageState.PROMOTED);
    }

    @Test
    @Order(2)
    void aPromotedImageIsPulledFromScannedWithTheSameDigestAndItsSbomAndReportAreReferrers() throws Exception {
        String pushed = digestOf("oci:" + Corpus.image("alpine-3.10.3").resolve("oci") + ":alpine-3.10.3");
        String promoted = digestOf("docker://" + host + "/scanned/e2e/alpine-3.10.3:1");
        assertThat(promoted).isEqualTo(pushed);
        for (String ns : List.of("scanned", "unscanned")) {
            String referrers = get("/v2/" + ns + "/e2e/alpine-3.10.3/referrers/sha256:" + pushed).body();
            assertThat(referrers).as(ns).contains("application/vnd.cyclonedx+json")
                    .contains("application/vnd.portcullis.verdict.v1+json");
        }
        // the SBOM is CycloneDX 1.6
        JsonNode refs = Json.parse(get("/v2/scanned/e2e/alpine-3.10.3/referrers/sha256:" + pushed
                + "?artifactType=application/vnd.cyclonedx%2Bjson").body().getBytes(StandardCharsets.UTF_8));
        String sbomManifest = refs.path("manifests").get(0).path("digest").asText();
        JsonNode manifest = Json.parse(get("/v2/scanned/e2e/alpine-3.10.3/manifests/" + sbomManifest).body()
                .getBytes(StandardCharsets.UTF_8));
        JsonNode sbom = Json.parse(get("/v2/scanned/e2e/alpine-3.10.3/blobs/"
                + manifest.path("layers").get(0).path("digest").asText()).body().getBytes(StandardCharsets.UTF_8));
        assertThat(sbom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(sbom.path("specVersion").asText()).isEqualTo("1.6");
    }

    @Test
    @Order(3)
    void aRejectedImageIsNeverInScanned() throws Exception {
        for (String name : List.of("java-app", "misconfig-secrets")) {
            assertThat(get("/v2/scanned/e2e/" + name + "/manifests/1").statusCode()).as(name).isEqualTo(404);
            assertThat(get("/v2/scanned/e2e/" + name + "/manifests/" + judged.get(name).digest()).statusCode())
                    .isEqualTo(404);
        }
        // and a client cannot put it there itself
        Process p = new ProcessBuilder("skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false",
                "oci:" + Corpus.image("java-app").resolve("oci") + ":java-app",
                "docker://" + host + "/scanned/e2e/java-app:1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
    }

    @Test
    @Order(4)
    void anIndexIsPromotedOnlyWhenEveryPlatformPassedAndWithItsPlatforms() throws Exception {
        String repo = "unscanned/e2e/multi";
        skopeo("copy", "--dest-tls-verify=false", "oci:" + Corpus.image("alpine-3.10.3").resolve("oci")
                + ":alpine-3.10.3", "docker://" + host + "/" + repo + ":amd64");
        skopeo("copy", "--dest-tls-verify=false", "oci:" + Corpus.image("debian-bookworm-minbase").resolve("oci")
                + ":debian-bookworm-minbase", "docker://" + host + "/" + repo + ":arm64");
        skopeo("copy", "--dest-tls-verify=false", "oci:" + Corpus.image("java-app").resolve("oci") + ":java-app",
                "docker://" + host + "/" + repo + ":java");
        String good = putIndex(repo, "good", List.of("amd64", "arm64"));
        String bad = putIndex(repo, "bad", List.of("amd64", "java"));
        GateImage passed = gate().awaitVerdict(RepositoryName.of(repo), "good", VERDICT).orElseThrow();
        GateImage failed = gate().awaitVerdict(RepositoryName.of(repo), "bad", VERDICT).orElseThrow();
        assertThat(passed.index()).isTrue();
        assertThat(passed.state()).isEqualTo(ImageState.PROMOTED);
        assertThat(passed.children()).extracting(GateImage.Child::state).containsOnly(ImageState.PROMOTED);
        assertThat(failed.state()).isEqualTo(ImageState.REJECTED);
        assertThat(get("/v2/scanned/e2e/multi/manifests/good").statusCode()).isEqualTo(200);
        for (GateImage.Child child : passed.children()) {
            assertThat(get("/v2/scanned/e2e/multi/manifests/" + child.digest()).statusCode()).isEqualTo(200);
        }
        assertThat(get("/v2/scanned/e2e/multi/manifests/bad").statusCode()).isEqualTo(404);
        assertThat(get("/v2/scanned/e2e/multi/manifests/" + bad).statusCode()).isEqualTo(404);
        assertThat(digestOf("docker://" + host + "/scanned/e2e/multi:good")).isEqualTo(good.substring(7));
    }

    @Test
    @Order(5)
    void anExceptionPromotesARejectedImageWithoutANewPushAndStopsApplyingWhenItExpires() throws Exception {
        RepositoryName java = RepositoryName.of("unscanned/e2e/java-app");
        GateImage rejected = gate().image(java, "1").orElseThrow();
        assertThat(rejected.state()).isEqualTo(ImageState.REJECTED);
        Set<String> advisories = new LinkedHashSet<>();
        for (Reason r : rejected.verdict().orElseThrow().rejections()) {
            assertThat(r.resource().name()).as("java-app is rejected only for findings: " + r)
                    .isEqualTo("VULNERABILITY");
            advisories.add(r.item());
        }
        Instant expiry = clock.instant().plus(Duration.ofDays(5));
        for (String advisory : advisories) {
            gate().grantException(new ExceptionRequest(advisory, ExceptionGrant.Scope.team("e2e"), null,
                    "accepted for the gate test", "https://tracker.example/SEC-1", expiry), Principal.dev(), CTX);
        }
        GateImage promoted = gate().image(java, "1").orElseThrow();
        assertThat(promoted.state()).as(explain(promoted)).isEqualTo(ImageState.PROMOTED);
        assertThat(promoted.verdict().orElseThrow().exceptionsUsed()).isNotEmpty();
        assertThat(digestOf("docker://" + host + "/scanned/e2e/java-app:1"))
                .isEqualTo(rejected.digest().encoded());

        clock.setOffset(Duration.ofDays(6));
        assertThat(gate().expire()).isPositive();
        GateImage again = gate().image(java, "1").orElseThrow();
        assertThat(again.state()).isEqualTo(ImageState.REJECTED);
        assertThat(again.verdict().orElseThrow().exceptionsUsed()).isEmpty();
        assertThat(get("/v2/scanned/e2e/java-app/manifests/1").statusCode()).isEqualTo(404);
        String trail = new String(auditExport(), StandardCharsets.UTF_8);
        assertThat(trail).contains("gate.exception.grant", "gate.exception.expire", "gate.promote", "gate.reject");
        clock.setOffset(Duration.ZERO);
    }

    private static byte[] auditExport() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        server.auth().audit().export(out);
        return out.toByteArray();
    }

    /** PUTs an index over the tagged manifests of {@code repo} (each given its own platform) under {@code tag}. */
    private static String putIndex(String repo, String tag, List<String> children) throws Exception {
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX);
        var list = index.putArray("manifests");
        for (String child : children) {
            HttpResponse<String> m = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo
                    + "/manifests/" + child)).header("Accept", MediaType.OCI_MANIFEST).build(),
                    HttpResponse.BodyHandlers.ofString());
            byte[] bytes = m.body().getBytes(StandardCharsets.UTF_8);
            list.addObject().put("mediaType", MediaType.OCI_MANIFEST).put("digest", Digest.sha256(bytes).toString())
                    .put("size", bytes.length).putObject("platform").put("os", "linux")
                    .put("architecture", child.equals("arm64") ? "arm64" : "amd64");
        }
        byte[] body = Json.write(index);
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repo
                + "/manifests/" + tag)).header("Content-Type", MediaType.OCI_INDEX)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return Digest.sha256(body).toString();
    }

    private static String explain(GateImage g) {
        if (g.verdict().isEmpty()) {
            return g.state().id() + g.error().map(e -> ": " + e).orElse("");
        }
        List<String> why = new ArrayList<>();
        for (Reason r : g.verdict().get().rejections()) {
            why.add(r.rule() + " on " + r.item());
        }
        return g.state().id() + " " + why;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("Accept", MediaType.OCI_MANIFEST + "," + MediaType.OCI_INDEX).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String digestOf(String ref) throws Exception {
        byte[] raw = skopeo("inspect", "--raw", "--tls-verify=false", ref).getBytes(StandardCharsets.UTF_8);
        return Digest.sha256(raw).encoded();
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

    private static String skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("skopeo finished: " + command).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        return output;
    }
}
