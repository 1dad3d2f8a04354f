package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import dev.portcullis.policy.PolicyDocuments;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gate's API over HTTP against the real server in --dev mode (no database imported, so the default policy
 * rejects every image for its missing vulnerability database: a verdict with a reason, made without feeds):
 * the image's state and verdict with links, every report format, findings, policies with versions, history and
 * diff, a dry run, exceptions and break-glass, jobs, and the API's errors for wrong input.
 */
class GateApiIT {
    private static TestServer server;
    private static Http http;
    private static Digest image;

    @BeforeAll
    static void pushAndJudge() throws Exception {
        server = TestServer.start();
        http = server.http();
        image = pushImage("unscanned/acme/app", "1.2");
        HttpResponse<byte[]> r = http.get("/api/v1/repositories/unscanned/acme/app/images/1.2?wait=60s");
        assertThat(r.statusCode()).as(Http.body(r)).isEqualTo(200);
        assertThat(Http.json(r).path("state").asText()).isEqualTo("rejected");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** An image with one real gzip'd tar layer holding an Alpine os-release, so the scanner reads it whole. */
    static Digest pushImage(String repo, String tag) throws Exception {
        ByteArrayOutputStream tgz = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(tgz))) {
            byte[] osRelease = "ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\n"
                    .getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("etc/os-release");
            e.setSize(osRelease.length);
            tar.putArchiveEntry(e);
            tar.write(osRelease);
            tar.closeArchiveEntry();
        }
        byte[] layer = tgz.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[]},\"history\":[{\"created_by\":\"ADD rootfs.tar / # " + repo + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        Digest c = http.pushBlob(repo, config);
        Digest l = http.pushBlob(repo, layer);
        byte[] manifest = Fixtures.imageManifest(MediaType.OCI_MANIFEST, MediaType.OCI_CONFIG, c, config.length,
                List.of(Map.entry(l, (long) layer.length)), null, null);
        return http.pushManifest(repo, tag, MediaType.OCI_MANIFEST, manifest);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> postJson(String path, JsonNode body) {
        return http.post(path, Json.write(body), "Content-Type", "application/json");
    }

    @Test
    void imageHasStateVerdictAndLinksByTagDigestAndScannedName() {
        JsonNode byTag = Http.json(http.get("/api/v1/repositories/unscanned/acme/app/images/1.2"));
        assertThat(byTag.path("digest").asText()).isEqualTo(image.toString());
        assertThat(byTag.path("team").asText()).isEqualTo("acme");
        assertThat(byTag.path("verdict").path("decision").asText()).isEqualTo("reject");
        assertThat(byTag.path("verdict").path("rejections")).isNotEmpty();
        assertThat(byTag.path("links").path("html").asText()).endsWith("/report.html");
        JsonNode byDigest = Http.json(http.get("/api/v1/repositories/unscanned/acme/app/images/" + image));
        assertThat(byDigest.path("state").asText()).isEqualTo("rejected");
        JsonNode list = Http.json(http.get("/api/v1/images?team=acme&state=rejected"));
        assertThat(list.path("images").findValuesAsText("digest")).contains(image.toString());
        assertThat(Http.json(http.get("/api/v1/images?team=nobody")).path("images")).isEmpty();
    }

    @Test
    void everyReportFormatIsServedAndTheJsonFollowsItsSchema() throws Exception {
        String base = "/api/v1/repositories/unscanned/acme/app/images/1.2/report.";
        HttpResponse<byte[]> json = http.get(base + "json");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        try (InputStream in = Files.newInputStream(Path.of("../docs/schemas/verdict-report.schema.json"))) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            assertThat(schema.validate(Http.json(json))).isEmpty();
        }
        assertThat(Http.json(http.get(base + "sarif")).path("version").asText()).isEqualTo("2.1.0");
        assertThat(text(http.get(base + "junit.xml"))).startsWith("<?xml").contains("<failure");
        HttpResponse<byte[]> html = http.get(base + "html");
        assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(html.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
        assertThat(text(html)).contains("unscanned/acme/app:1.2").contains("rejected");
        Http.assertError(http.get(base + "pdf"), 404, "NOT_FOUND");
        assertThat(Http.json(http.get("/api/v1/repositories/unscanned/acme/app/images/1.2/findings"))
                .path("findings").isArray()).isTrue();
    }

    @Test
    void unknownImagesAndUngatedRepositoriesAreClientErrors() {
        Http.assertError(http.get("/api/v1/repositories/unscanned/acme/app/images/9.9"), 404, "NOT_FOUND");
        Http.assertError(http.get("/api/v1/repositories/library/app/images/1"), 400, "INVALID");
        Http.assertError(http.get("/api/v1/images?state=maybe"), 400, "INVALID");
        Http.assertError(http.get("/api/v1/repositories/unscanned/acme/app/images/sha256:zz"), 400, "INVALID");
    }

    @Test
    void policiesHaveVersionsHistoryDiffAndDryRun() {
        JsonNode current = Http.json(http.get("/api/v1/policies/organisation"));
        String yaml = current.path("yaml").asText();
        assertThat(PolicyDocuments.parse(yaml, "served").rules()).isNotEmpty();
        int version = current.path("version").asInt();

        ObjectNode dry = Json.object().put("yaml", yaml);
        JsonNode same = Http.json(postJson("/api/v1/policies/dry-run", dry));
        assertThat(same.path("evaluated").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(same.path("teams")).isEmpty();

        String team = "owner:\n  team: acme\nversion: 1\nrules:\n  - name: no-alpine\n    resource: image\n"
                + "    condition: image.os.name == \"alpine\"\n    action: warn\n    message: prefer distroless\n";
        HttpResponse<byte[]> applied = http.put("/api/v1/policies/team:acme",
                Json.write(Json.object().put("yaml", team)), "Content-Type", "application/json");
        assertThat(applied.statusCode()).as(Http.body(applied)).isEqualTo(200);
        String team2 = team.replace("version: 1", "version: 2").replace("action: warn", "action: reject");
        assertThat(http.put("/api/v1/policies/team:acme", Json.write(Json.object().put("yaml", team2)),
                "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(Http.json(http.get("/api/v1/policies/team:acme/versions")).path("versions")
                .findValuesAsText("version")).containsExactly("2", "1");
        assertThat(Http.json(http.get("/api/v1/policies/team:acme/versions/1")).path("yaml").asText())
                .contains("no-alpine");
        JsonNode diff = Http.json(http.get("/api/v1/policies/team:acme/diff"));
        assertThat(diff.path("changed").get(0).path("after").path("action").asText()).isEqualTo("reject");
        assertThat(Http.json(http.get("/api/v1/policies")).path("policies").findValuesAsText("owner"))
                .contains("organisation", "team:acme");

        Http.assertError(http.put("/api/v1/policies/team:acme", Json.write(Json.object().put("yaml", team2)),
                "Content-Type", "application/json"), 400, "INVALID");
        Http.assertError(http.put("/api/v1/policies/organisation", Json.write(Json.object().put("yaml", team)),
                "Content-Type", "application/json"), 400, "INVALID");
        Http.assertError(postJson("/api/v1/policies/dry-run", Json.object().put("yaml", "rules: [")), 400, "INVALID");
        Http.assertError(postJson("/api/v1/policies/dry-run", Json.object().put("yaml", yaml).put("extra", 1)), 400,
                "INVALID");
        Http.assertError(http.get("/api/v1/policies/nobody"), 400, "INVALID");
        assertThat(version).isPositive();
    }

    @Test
    void exceptionsAreGrantedListedAndRevoked() {
        ObjectNode body = Json.object().put("team", "acme").put("advisory", "CVE-2024-1234")
                .put("expiresAt", Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())
                .put("reason", "not reachable").put("ticket", "https://tracker/SEC-12");
        HttpResponse<byte[]> granted = postJson("/api/v1/exceptions", body);
        assertThat(granted.statusCode()).as(Http.body(granted)).isEqualTo(201);
        String id = Http.json(granted).path("id").asText();
        assertThat(Http.json(http.get("/api/v1/exceptions?team=acme")).path("exceptions").findValuesAsText("id"))
                .contains(id);
        assertThat(Http.json(http.delete("/api/v1/exceptions/" + id)).path("revokedAt").isTextual()).isTrue();
        assertThat(Http.json(http.get("/api/v1/exceptions")).path("exceptions").findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(Http.json(http.get("/api/v1/exceptions?active=false")).path("exceptions")
                .findValuesAsText("id")).contains(id);

        Http.assertError(postJson("/api/v1/exceptions", body.deepCopy().put("color", "red")), 400, "INVALID");
        Http.assertError(postJson("/api/v1/exceptions", body.deepCopy().put("expiresAt", "tomorrow")), 400,
                "INVALID");
        Http.assertError(postJson("/api/v1/exceptions", body.deepCopy().put("expiresAt",
                Instant.now().plus(5000, ChronoUnit.DAYS).toString())), 400, "INVALID");
        Http.assertError(http.delete("/api/v1/exceptions/exc-none"), 404, "NOT_FOUND");
    }

    @Test
    void breakGlassPromotesTheDigestForItsDuration() throws Exception {
        ObjectNode body = Json.object().put("repository", "unscanned/acme/glass").put("reference", "1")
                .put("reason", "incident 42").put("ticket", "SEC-42").put("durationSeconds", 3600);
        Http.assertError(postJson("/api/v1/break-glass", body), 404, "NOT_FOUND");
        Digest glassed = pushImage("unscanned/acme/glass", "1");
        assertThat(Http.json(http.get("/api/v1/repositories/unscanned/acme/glass/images/1?wait=60s"))
                .path("state").asText()).isEqualTo("rejected");
        HttpResponse<byte[]> granted = postJson("/api/v1/break-glass", body);
        assertThat(granted.statusCode()).as(Http.body(granted)).isEqualTo(201);
        assertThat(Http.json(granted).path("digest").asText()).isEqualTo(glassed.toString());
        JsonNode after = Http.json(http.get("/api/v1/repositories/unscanned/acme/glass/images/1?wait=60s"));
        assertThat(after.path("state").asText()).isEqualTo("promoted");
        assertThat(after.path("verdict").path("breakGlass").path("grantedBy").asText()).isEqualTo("dev");
        String metrics = Http.body(http.get("/metrics"));
        assertThat(metrics).contains("portcullis_gate_breakglass_active 1.0")
                .contains("portcullis_gate_breakglass_granted_total 1.0")
                .containsPattern("portcullis_gate_images\\{state=\"promoted\",team=\"acme\"} [1-9]");
        JsonNode listed = Http.json(http.get("/api/v1/break-glass")).path("breakGlass");
        assertThat(listed.findValuesAsText("digest")).containsExactly(glassed.toString());
        assertThat(listed.get(0).path("active").asBoolean()).isTrue();
        assertThat(listed.get(0).path("ticket").asText()).isEqualTo("SEC-42");
        Http.assertError(http.get("/api/v1/break-glass?active=maybe"), 400, "INVALID");
        Http.assertError(http.get("/api/v1/exceptions?active=yes"), 400, "INVALID");
        Http.assertError(postJson("/api/v1/break-glass", body.deepCopy().put("durationSeconds", 0)), 400, "INVALID");
        Http.assertError(postJson("/api/v1/break-glass", Json.object().put("digest", "sha256:nothex")
                .put("reason", "x").put("durationSeconds", 60)), 400, "INVALID");
    }

    @Test
    void jobsAreListed() {
        JsonNode jobs = Http.json(http.get("/api/v1/jobs"));
        assertThat(jobs.path("jobs").findValuesAsText("digest")).contains(image.toString());
        Http.assertError(http.get("/api/v1/jobs?state=sleeping"), 400, "INVALID");
    }
}
