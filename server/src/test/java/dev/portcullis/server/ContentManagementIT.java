package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.MediaType;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The spec's content management workflow: deleting tags, manifests (end-9) and blobs (end-10). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentManagementIT {
    private TestServer server;
    private Http http;

    @BeforeAll
    void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void deletingATagLeavesTheManifest() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/manage/tag", "v1");
        http.pushManifest("unscanned/manage/tag", "v2", MediaType.OCI_MANIFEST, image.manifestBytes());
        assertThat(http.delete("/v2/unscanned/manage/tag/manifests/v1").statusCode()).isEqualTo(202);
        assertError(http.get("/v2/unscanned/manage/tag/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertThat(http.get("/v2/unscanned/manage/tag/manifests/v2").statusCode()).isEqualTo(200);
        assertThat(http.get("/v2/unscanned/manage/tag/manifests/" + image.manifest()).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> tags = http.get("/v2/unscanned/manage/tag/tags/list");
        assertThat(json(tags).get("tags").toString()).isEqualTo("[\"v2\"]");
        assertError(http.delete("/v2/unscanned/manage/tag/manifests/v1"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingAManifestByDigestRemovesItAndItsTags() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/manage/manifest", "v1");
        http.pushManifest("unscanned/manage/manifest", "v2", MediaType.OCI_MANIFEST, image.manifestBytes());
        assertThat(http.delete("/v2/unscanned/manage/manifest/manifests/"
                + image.manifest()).statusCode()).isEqualTo(202);
        assertError(http.get("/v2/unscanned/manage/manifest/manifests/" + image.manifest()), 404, "MANIFEST_UNKNOWN");
        assertError(http.get("/v2/unscanned/manage/manifest/manifests/v1"), 404, "MANIFEST_UNKNOWN");
        assertThat(http.head("/v2/unscanned/manage/manifest/manifests/v2").statusCode()).isEqualTo(404);
        assertThat(json(http.get("/v2/unscanned/manage/manifest/tags/list")).get("tags")).isEmpty();
        assertError(http.delete("/v2/unscanned/manage/manifest/manifests/" + image.manifest()), 404,
                "MANIFEST_UNKNOWN");
        // The blobs stay until garbage collection; the manifest can be pushed again.
        assertThat(http.get("/v2/unscanned/manage/manifest/blobs/" + image.layer()).statusCode()).isEqualTo(200);
        http.pushManifest("unscanned/manage/manifest", "v3", MediaType.OCI_MANIFEST, image.manifestBytes());
    }

    @Test
    void deletingAReferrerRemovesItFromTheReferrersList() {
        Fixtures.Image subject = Fixtures.pushArtifact(http, "unscanned/manage/referrer", "v1");
        Fixtures.Image sbom = Fixtures.pushImage(http, "unscanned/manage/referrer", null, MediaType.OCI_MANIFEST,
                subject.descriptor(), "application/vnd.example.sbom");
        assertThat(json(http.get("/v2/unscanned/manage/referrer/referrers/" + subject.manifest())).get("manifests"))
                .hasSize(1);
        assertThat(http.delete("/v2/unscanned/manage/referrer/manifests/" + sbom.manifest()).statusCode())
                .isEqualTo(202);
        assertThat(json(http.get("/v2/unscanned/manage/referrer/referrers/" + subject.manifest())).get("manifests"))
                .isEmpty();
    }

    @Test
    void deletingABlob() {
        byte[] content = Fixtures.randomBytes(1000);
        var digest = http.pushBlob("unscanned/manage/blob", content);
        assertThat(http.delete("/v2/unscanned/manage/blob/blobs/" + digest).statusCode()).isEqualTo(202);
        assertError(http.get("/v2/unscanned/manage/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
        assertThat(http.head("/v2/unscanned/manage/blob/blobs/" + digest).statusCode()).isEqualTo(404);
        assertError(http.delete("/v2/unscanned/manage/blob/blobs/" + digest), 404, "BLOB_UNKNOWN");
        // Pushing it again makes it visible again.
        http.pushBlob("unscanned/manage/blob", content);
        assertThat(http.get("/v2/unscanned/manage/blob/blobs/" + digest).body()).isEqualTo(content);
    }

    /** Deleting a blob unlinks it; garbage collection (admin API) then removes the bytes nothing links. */
    @Test
    void garbageCollectionRemovesTheBytesOfDeletedBlobsOnly() {
        byte[] keptBytes = Fixtures.randomBytes(3000);
        byte[] goneBytes = Fixtures.randomBytes(5000);
        dev.portcullis.oci.Digest kept = http.pushBlob("unscanned/manage/gc", keptBytes);
        dev.portcullis.oci.Digest gone = http.pushBlob("unscanned/manage/gc", goneBytes);
        double mappedBefore = mappedBytes();
        for (int i = 0; i < 2; i++) { // pulled twice: kept mapped by the server
            assertThat(http.get("/v2/unscanned/manage/gc/blobs/" + gone).body()).isEqualTo(goneBytes);
        }
        assertThat(mappedBytes()).isEqualTo(mappedBefore + 5000);
        assertThat(http.delete("/v2/unscanned/manage/gc/blobs/" + gone).statusCode()).isEqualTo(202);

        HttpResponse<byte[]> young = http.post("/api/v1/gc?dryRun=true", null);
        assertThat(young.statusCode()).isEqualTo(200);
        assertThat(json(young).get("removed").asInt()).as("within the default grace of an hour").isZero();

        HttpResponse<byte[]> gc = http.post("/api/v1/gc?grace=0s", null);
        assertThat(gc.statusCode()).isEqualTo(200);
        assertThat(json(gc).get("removed").asInt()).isEqualTo(1);
        assertThat(json(gc).get("bytesRemoved").asLong()).isEqualTo(5000);
        assertThat(json(gc).get("dryRun").asBoolean()).isFalse();
        assertThat(server.server().registry().blobFile(gone)).isEmpty();
        assertThat(mappedBytes()).as("its mapping went with it").isEqualTo(mappedBefore);
        assertThat(http.get("/v2/unscanned/manage/gc/blobs/" + kept).body()).isEqualTo(keptBytes);

        assertThat(http.pushBlob("unscanned/manage/gc", goneBytes)).isEqualTo(gone); // pushed again, whole again
        assertThat(http.get("/v2/unscanned/manage/gc/blobs/" + gone).body()).isEqualTo(goneBytes);
        assertThat(json(http.post("/api/v1/gc?grace=0s", null)).get("removed").asInt()).isZero();

        HttpResponse<byte[]> bad = http.post("/api/v1/gc?grace=soon", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("errors").get(0).get("code").asText()).isEqualTo("INVALID");
        assertThat(json(bad).get("errors").get(0).get("message").asText()).contains("grace").contains("30s");
    }

    private double mappedBytes() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^portcullis_blob_mapped_bytes (\\S+)$")
                .matcher(new String(http.get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
