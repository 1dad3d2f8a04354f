package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.body;
import static dev.portcullis.server.Http.withDigest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.MediaType;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The spec's push workflow (end-4a/4b, end-5, end-6, end-7, end-11, end-13) and cross-repository mounts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushIT {
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

    private void assertBlob(String repo, Digest d, byte[] content) {
        HttpResponse<byte[]> r = http.get("/v2/" + repo + "/blobs/" + d);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
    }

    @Test
    void postThenPutMonolithic() {
        byte[] content = Fixtures.randomBytes(300_000);
        Digest d = Digest.sha256(content);
        HttpResponse<byte[]> post = http.post("/v2/unscanned/push/mono/blobs/uploads/", null);
        assertThat(post.statusCode()).isEqualTo(202);
        String location = post.headers().firstValue("Location").orElseThrow();
        assertThat(post.headers().firstValue("Docker-Upload-UUID")).isPresent();
        HttpResponse<byte[]> put = http.put(withDigest(location, d), content, "Content-Type",
                "application/octet-stream");
        assertThat(put.statusCode()).as(body(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Location")).contains("/v2/unscanned/push/mono/blobs/" + d);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertBlob("unscanned/push/mono", d, content);
        // The session is gone once the blob is complete.
        assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void singlePostWithDigest() {
        byte[] content = Fixtures.randomBytes(50_000);
        Digest d = Digest.sha256(content);
        HttpResponse<byte[]> r = http.post("/v2/unscanned/push/single/blobs/uploads/?digest=" + d, content,
                "Content-Type",
                "application/octet-stream");
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).contains("/v2/unscanned/push/single/blobs/" + d);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertBlob("unscanned/push/single", d, content);
    }

    @Test
    void emptyBlobAndRepeatedPushAreFine() {
        Digest empty = http.pushBlob("unscanned/push/empty", new byte[0]);
        HttpResponse<byte[]> head = http.head("/v2/unscanned/push/empty/blobs/" + empty);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(0);
        byte[] content = Fixtures.randomBytes(1000);
        http.pushBlob("unscanned/push/empty", content);
        http.pushBlob("unscanned/push/empty", content);
        assertBlob("unscanned/push/empty", Digest.sha256(content), content);
    }

    @Test
    void chunkedUploadWithStatusAndFinalChunk() {
        byte[] content = Fixtures.randomBytes(30_000);
        Digest d = Digest.sha256(content);
        String location = http.startUpload("unscanned/push/chunked");

        HttpResponse<byte[]> first = http.patch(location, Arrays.copyOfRange(content, 0, 10_000), "Content-Type",
                "application/octet-stream", "Content-Range", "0-9999");
        assertThat(first.statusCode()).as(body(first)).isEqualTo(202);
        assertThat(first.headers().firstValue("Range")).contains("0-9999");
        location = first.headers().firstValue("Location").orElseThrow();

        HttpResponse<byte[]> status = http.get(location);
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(status.headers().firstValue("Range")).contains("0-9999");
        assertThat(status.headers().firstValue("Location")).isPresent();

        HttpResponse<byte[]> second = http.patch(location, Arrays.copyOfRange(content, 10_000, 20_000),
                "Content-Type", "application/octet-stream", "Content-Range", "10000-19999");
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Range")).contains("0-19999");
        location = second.headers().firstValue("Location").orElseThrow();

        // The closing PUT may carry the last chunk.
        HttpResponse<byte[]> put = http.put(withDigest(location, d), Arrays.copyOfRange(content, 20_000, 30_000),
                "Content-Type", "application/octet-stream", "Content-Range", "20000-29999");
        assertThat(put.statusCode()).as(body(put)).isEqualTo(201);
        assertThat(put.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertBlob("unscanned/push/chunked", d, content);
    }

    @Test
    void streamedPatchWithoutContentRangeThenEmptyPut() {
        byte[] content = Fixtures.randomBytes(20_000);
        Digest d = Digest.sha256(content);
        String location = http.startUpload("unscanned/push/streamed");
        HttpResponse<byte[]> patch = http.patch(location, content, "Content-Type", "application/octet-stream");
        assertThat(patch.statusCode()).isEqualTo(202);
        assertThat(patch.headers().firstValue("Range")).contains("0-19999");
        HttpResponse<byte[]> put = http.put(withDigest(patch.headers().firstValue("Location").orElseThrow(), d),
                null);
        assertThat(put.statusCode()).as(body(put)).isEqualTo(201);
        assertBlob("unscanned/push/streamed", d, content);
    }

    @Test
    void outOfOrderChunkIs416WithTheCurrentRange() {
        byte[] content = Fixtures.randomBytes(2000);
        String location = http.startUpload("unscanned/push/order");
        http.patch(location, Arrays.copyOfRange(content, 0, 1000), "Content-Range", "0-999");
        HttpResponse<byte[]> gap = http.patch(location, Arrays.copyOfRange(content, 1500, 2000),
                "Content-Range", "1500-1999");
        assertThat(gap.statusCode()).isEqualTo(416);
        assertThat(gap.headers().firstValue("Range")).contains("0-999");
        assertThat(gap.headers().firstValue("Location")).isPresent();
        HttpResponse<byte[]> overlap = http.patch(location, Arrays.copyOfRange(content, 500, 1000),
                "Content-Range", "500-999");
        assertThat(overlap.statusCode()).isEqualTo(416);
        // The upload is intact: continue in order and complete.
        assertThat(http.patch(location, Arrays.copyOfRange(content, 1000, 2000), "Content-Range", "1000-1999")
                .statusCode()).isEqualTo(202);
        assertThat(http.put(withDigest(location, Digest.sha256(content)), null).statusCode()).isEqualTo(201);
        assertBlob("unscanned/push/order", Digest.sha256(content), content);
    }

    @Test
    void cancelledUploadIsGone() {
        String location = http.startUpload("unscanned/push/cancel");
        http.patch(location, Fixtures.randomBytes(100));
        assertThat(http.delete(location).statusCode()).isEqualTo(204);
        assertError(http.get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(http.patch(location, new byte[]{1}), 404, "BLOB_UPLOAD_UNKNOWN");
        assertError(http.delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void crossRepositoryMount() {
        byte[] content = Fixtures.randomBytes(4096);
        Digest d = http.pushBlob("unscanned/push/mount-source", content);
        HttpResponse<byte[]> mounted = http.post("/v2/unscanned/push/mount-target/blobs/uploads/?mount=" + d
                + "&from=unscanned/push/mount-source", null);
        assertThat(mounted.statusCode()).as(body(mounted)).isEqualTo(201);
        assertThat(mounted.headers().firstValue("Location")).contains("/v2/unscanned/push/mount-target/blobs/" + d);
        assertThat(mounted.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertBlob("unscanned/push/mount-target", d, content);
    }

    @Test
    void mountFallsBackToAnUploadWhenTheSourceLacksTheBlob() {
        Digest absent = Digest.sha256("never pushed".getBytes());
        for (String query : List.of("?mount=" + absent + "&from=unscanned/push/nowhere", "?mount=" + absent)) {
            HttpResponse<byte[]> r = http.post("/v2/unscanned/push/mount-fallback/blobs/uploads/" + query, null);
            assertThat(r.statusCode()).as(body(r)).isEqualTo(202);
            String location = r.headers().firstValue("Location").orElseThrow();
            byte[] content = "never pushed".getBytes();
            assertThat(http.put(withDigest(location, absent), content).statusCode()).isEqualTo(201);
        }
        // A blob another repository holds is not mounted from a repository that does not hold it.
        Digest elsewhere = http.pushBlob("unscanned/push/mount-holder", Fixtures.randomBytes(10));
        assertThat(http.post("/v2/unscanned/push/mount-fallback2/blobs/uploads/?mount=" + elsewhere
                + "&from=unscanned/push/mount-empty", null).statusCode()).isEqualTo(202);
    }

    @Test
    void manifestPushByTagAndDigestAndTagMoves() {
        Fixtures.Image first = Fixtures.pushImage(http, "unscanned/push/manifest", "v1");
        HttpResponse<byte[]> byDigest = http.put("/v2/unscanned/push/manifest/manifests/" + first.manifest(),
                first.manifestBytes(), "Content-Type", MediaType.OCI_MANIFEST);
        assertThat(byDigest.statusCode()).isEqualTo(201);
        assertThat(byDigest.headers().firstValue("Location")).contains("/v2/unscanned/push/manifest/manifests/"
                + first.manifest());
        Fixtures.Image second = Fixtures.pushImage(http, "unscanned/push/manifest", "v1");
        HttpResponse<byte[]> get = http.get("/v2/unscanned/push/manifest/manifests/v1", "Accept",
                MediaType.OCI_MANIFEST);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(second.manifest().toString());
        assertThat(http.get("/v2/unscanned/push/manifest/manifests/" + first.manifest()).statusCode()).isEqualTo(200);
    }

    @Test
    void manifestWithSubjectAnswersOciSubject() {
        Fixtures.Image subject = Fixtures.pushImage(http, "unscanned/push/subject", "v1");
        byte[] config = "{}".getBytes();
        Digest empty = http.pushBlob("unscanned/push/subject", config);
        byte[] referrer = Fixtures.imageManifest(MediaType.OCI_MANIFEST, MediaType.OCI_EMPTY, empty, config.length,
                List.of(), subject.descriptor(), "application/vnd.example.sbom");
        HttpResponse<byte[]> r = http.put("/v2/unscanned/push/subject/manifests/" + Digest.sha256(referrer), referrer,
                "Content-Type", MediaType.OCI_MANIFEST);
        assertThat(r.statusCode()).as(body(r)).isEqualTo(201);
        assertThat(r.headers().firstValue("OCI-Subject")).contains(subject.manifest().toString());

        // The subject need not exist yet (referrers may be pushed first).
        Digest future = Digest.sha256("not yet pushed".getBytes());
        byte[] early = Fixtures.imageManifest(MediaType.OCI_MANIFEST, MediaType.OCI_EMPTY, empty, config.length,
                List.of(), Fixtures.descriptor(MediaType.OCI_MANIFEST, future, 100), "application/vnd.example.sig");
        HttpResponse<byte[]> e = http.put("/v2/unscanned/push/subject/manifests/" + Digest.sha256(early), early,
                "Content-Type", MediaType.OCI_MANIFEST);
        assertThat(e.statusCode()).as(body(e)).isEqualTo(201);
        assertThat(e.headers().firstValue("OCI-Subject")).contains(future.toString());
    }

    @Test
    void manifestMayReferenceForeignLayersWithUrls() {
        byte[] config = "{\"os\":\"windows\"}".getBytes();
        Digest c = http.pushBlob("unscanned/push/foreign", config);
        Digest foreign = Digest.sha256("windows base layer".getBytes());
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) dev.portcullis.oci.Json.parse(
                Fixtures.imageManifest(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_CONFIG, c, config.length,
                        List.of(Map.entry(foreign, 18L)), null, null));
        var layer = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("layers").get(0);
        layer.put("mediaType", MediaType.DOCKER_FOREIGN_LAYER_GZIP);
        layer.putArray("urls").add("https://example.invalid/layer");
        byte[] bytes = dev.portcullis.oci.Json.write(manifest);
        http.pushManifest("unscanned/push/foreign", "ltsc", MediaType.DOCKER_MANIFEST, bytes);
    }
}
