package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.body;
import static dev.portcullis.server.Http.withDigest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every error code of the spec (except UNAUTHORIZED, which comes with authentication) and bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ErrorCodesIT {
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
    void blobUnknown() {
        Fixtures.pushImage(http, "unscanned/errors/blob", "v1");
        assertError(http.get("/v2/unscanned/errors/blob/blobs/" + Digest.sha256(new byte[]{9})), 404, "BLOB_UNKNOWN");
        assertError(http.delete("/v2/unscanned/errors/blob/blobs/" + Digest.sha256(new byte[]{9})), 404,
                "BLOB_UNKNOWN");
    }

    @Test
    void blobUploadInvalidOnAMalformedContentRange() {
        String location = http.startUpload("unscanned/errors/range");
        assertError(http.patch(location, new byte[10], "Content-Range", "bytes=0-9"), 400, "BLOB_UPLOAD_INVALID");
        assertError(http.patch(location, new byte[10], "Content-Range", "ten-twenty"), 400, "BLOB_UPLOAD_INVALID");
    }

    @Test
    void blobUploadUnknown() {
        String other = http.startUpload("unscanned/errors/upload-a");
        String id = other.substring(other.lastIndexOf('/') + 1);
        // An id that was never issued, a malformed id, and a real id used through another repository.
        for (String path : List.of("/v2/unscanned/errors/upload/blobs/uploads/3f1c2b7e-0000-4000-8000-000000000000",
                "/v2/unscanned/errors/upload/blobs/uploads/not-an-upload", "/v2/unscanned/errors/upload/blobs/uploads/"
                        + id)) {
            assertError(http.get(path), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(http.patch(path, new byte[]{1}), 404, "BLOB_UPLOAD_UNKNOWN");
            assertError(http.put(withDigest(path, Digest.sha256(new byte[]{1})), new byte[]{1}), 404,
                    "BLOB_UPLOAD_UNKNOWN");
            assertError(http.delete(path), 404, "BLOB_UPLOAD_UNKNOWN");
        }
        assertThat(http.get(other).statusCode()).as("the real upload is untouched").isEqualTo(204);
    }

    @Test
    void digestInvalidWhenTheContentDoesNotMatch() {
        byte[] content = Fixtures.randomBytes(1000);
        String location = http.startUpload("unscanned/errors/digest");
        assertError(http.put(withDigest(location, Digest.sha256("other".getBytes())), content), 400,
                "DIGEST_INVALID");
        // The failed upload is discarded and no blob appeared.
        assertThat(http.get(location).statusCode()).isEqualTo(404);
        assertThat(http.head("/v2/unscanned/errors/digest/blobs/"
                + Digest.sha256(content)).statusCode()).isEqualTo(404);
        assertError(http.post("/v2/unscanned/errors/digest/blobs/uploads/?digest=" + Digest.sha256("x".getBytes()),
                content),
                400, "DIGEST_INVALID");
        assertThat(http.head("/v2/unscanned/errors/digest/blobs/"
                + Digest.sha256(content)).statusCode()).isEqualTo(404);
    }

    @Test
    void digestInvalidForADigestOfAnotherAlgorithm() {
        byte[] content = Fixtures.randomBytes(1000);
        String sha512Hex = Digest.compute(Digest.Algorithm.SHA512, content).encoded();
        String sha256Hex = Digest.sha256(content).encoded();
        // sha512 content claimed as sha256, and sha256 hex claimed as sha512: wrong length for the algorithm.
        assertError(http.put(http.startUpload("unscanned/errors/algo") + "?digest=sha256:" + sha512Hex, content), 400,
                "DIGEST_INVALID");
        assertError(http.put(http.startUpload("unscanned/errors/algo") + "?digest=sha512:" + sha256Hex, content), 400,
                "DIGEST_INVALID");
        // A well-formed sha512 digest of other content.
        Digest otherSha512 = Digest.compute(Digest.Algorithm.SHA512, "other".getBytes());
        assertError(http.put(withDigest(http.startUpload("unscanned/errors/algo"), otherSha512), content), 400,
                "DIGEST_INVALID");
        // A manifest whose URL digest uses another algorithm than the one its bytes hash to.
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/errors/algo", "v1");
        String wrong = "sha512:" + HexFormat.of().formatHex(new byte[64]);
        assertError(http.put("/v2/unscanned/errors/algo/manifests/" + wrong, image.manifestBytes(), "Content-Type",
                MediaType.OCI_MANIFEST), 400, "DIGEST_INVALID");
        assertError(http.put("/v2/unscanned/errors/algo/manifests/" + Digest.sha256("x".getBytes()),
                image.manifestBytes(),
                "Content-Type", MediaType.OCI_MANIFEST), 400, "DIGEST_INVALID");
    }

    @Test
    void digestInvalidWhenMalformed() {
        for (String bad : List.of("sha256:xyz", "sha256:" + "A".repeat(64), "md5:d41d8cd98f00b204e9800998ecf8427e",
                "nocolon", "sha256:")) {
            assertError(http.put(http.startUpload("unscanned/errors/malformed") + "?digest=" + bad, new byte[]{1}), 400,
                    "DIGEST_INVALID");
            assertError(http.get("/v2/unscanned/errors/malformed/blobs/" + bad), 400, "DIGEST_INVALID");
        }
        assertError(http.put(http.startUpload("unscanned/errors/malformed"), new byte[]{1}), 400, "DIGEST_INVALID");
    }

    @Test
    void manifestBlobUnknownForAMissingLayer() {
        byte[] config = "{}".getBytes();
        Digest c = http.pushBlob("unscanned/errors/missing-blob", config);
        Digest missing = Digest.sha256("layer never pushed".getBytes());
        byte[] manifest = Fixtures.ociManifest(c, config.length, List.of(Map.entry(missing, 18L)));
        HttpResponse<byte[]> r = http.put("/v2/unscanned/errors/missing-blob/manifests/v1", manifest, "Content-Type",
                MediaType.OCI_MANIFEST);
        assertError(r, 400, "MANIFEST_BLOB_UNKNOWN");
        assertThat(Http.json(r).get("errors").get(0).get("detail").asText()).contains(missing.toString());
        // A missing config counts as well.
        byte[] noConfig = Fixtures.ociManifest(Digest.sha256("no config".getBytes()), 9, List.of());
        assertError(http.put("/v2/unscanned/errors/missing-blob/manifests/v2", noConfig, "Content-Type",
                MediaType.OCI_MANIFEST), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void manifestBlobUnknownForAMissingChildManifest() {
        Fixtures.Image present = Fixtures.pushImage(http, "unscanned/errors/missing-child", null);
        ObjectNode absent = Fixtures.descriptor(MediaType.OCI_MANIFEST, Digest.sha256("absent".getBytes()), 6);
        byte[] index = Fixtures.index(MediaType.OCI_INDEX, List.of(present.descriptor(), absent), null, null);
        assertError(http.put("/v2/unscanned/errors/missing-child/manifests/multi", index, "Content-Type",
                MediaType.OCI_INDEX),
                400, "MANIFEST_BLOB_UNKNOWN");
        // A child that lives in another repository does not count.
        Fixtures.Image elsewhere = Fixtures.pushImage(http, "unscanned/errors/other-repo", null);
        byte[] foreign = Fixtures.index(MediaType.OCI_INDEX, List.of(elsewhere.descriptor()), null, null);
        assertError(http.put("/v2/unscanned/errors/missing-child/manifests/multi", foreign, "Content-Type",
                MediaType.OCI_INDEX), 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void manifestInvalid() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/errors/invalid", "v1");
        ObjectNode mismatched = (ObjectNode) Json.parse(image.manifestBytes());
        ObjectNode noConfig = mismatched.deepCopy();
        noConfig.remove("config");
        ObjectNode schema1 = mismatched.deepCopy();
        schema1.put("schemaVersion", 1);
        for (byte[] bad : List.of("not json".getBytes(), "[]".getBytes(), Json.write(noConfig), Json.write(schema1),
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{}}"
                        .getBytes())) {
            assertError(http.put("/v2/unscanned/errors/invalid/manifests/bad", bad, "Content-Type",
                    MediaType.OCI_MANIFEST),
                    400, "MANIFEST_INVALID");
        }
        // The body says it is an image manifest, the Content-Type says index.
        assertError(http.put("/v2/unscanned/errors/invalid/manifests/bad", image.manifestBytes(), "Content-Type",
                MediaType.OCI_INDEX), 400, "MANIFEST_INVALID");
        // An invalid tag.
        assertError(http.put("/v2/unscanned/errors/invalid/manifests/.INVALID_MANIFEST_NAME", image.manifestBytes(),
                "Content-Type", MediaType.OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertError(http.put("/v2/unscanned/errors/invalid/manifests/-bad-tag", image.manifestBytes(), "Content-Type",
                MediaType.OCI_MANIFEST), 400, "MANIFEST_INVALID");
        assertError(http.put("/v2/unscanned/errors/invalid/manifests/" + "t".repeat(129), image.manifestBytes(),
                "Content-Type", MediaType.OCI_MANIFEST), 400, "MANIFEST_INVALID");
    }

    @Test
    void manifestUnknown() {
        Fixtures.pushImage(http, "unscanned/errors/manifest", "v1");
        assertError(http.get("/v2/unscanned/errors/manifest/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        assertError(http.delete("/v2/unscanned/errors/manifest/manifests/v2"), 404, "MANIFEST_UNKNOWN");
        // A reference that is neither a tag nor a digest names no manifest (the conformance suite asks for
        // .INVALID_MANIFEST_NAME); pushing to one is MANIFEST_INVALID (see manifestInvalid).
        for (String reference : List.of(".INVALID_MANIFEST_NAME", "-bad-tag", "t".repeat(129), "sha256:xyz",
                "md5:d41d8cd98f00b204e9800998ecf8427e")) {
            assertError(http.get("/v2/unscanned/errors/manifest/manifests/" + reference), 404, "MANIFEST_UNKNOWN");
            assertThat(http.head("/v2/unscanned/errors/manifest/manifests/" + reference).statusCode()).as(reference)
                    .isEqualTo(404);
        }
    }

    @Test
    void nameInvalid() {
        String tooLong = "a".repeat(256);
        for (String name : List.of("Upper/Case", "foo/../bar", "foo/%2e%2e/bar", tooLong, "foo//bar", "-foo",
                "foo/bar/")) {
            assertError(http.get("/v2/" + name + "/tags/list"), 400, "NAME_INVALID");
            assertError(http.post("/v2/" + name + "/blobs/uploads/", null), 400, "NAME_INVALID");
            assertError(http.put("/v2/" + name + "/manifests/v1", "{}".getBytes(), "Content-Type",
                    MediaType.OCI_MANIFEST), 400, "NAME_INVALID");
        }
        // 255 characters is still a name.
        assertError(http.get("/v2/" + "a".repeat(255) + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void nameUnknown() {
        assertError(http.get("/v2/unscanned/errors/nobody/tags/list"), 404, "NAME_UNKNOWN");
        assertError(http.get("/v2/unscanned/errors/nobody/manifests/latest"), 404, "NAME_UNKNOWN");
    }

    @Test
    void sizeInvalidWhenContentRangeAndLengthDisagree() {
        String location = http.startUpload("unscanned/errors/size");
        assertError(http.patch(location, new byte[5], "Content-Range", "0-9"), 400, "SIZE_INVALID");
        assertThat(http.get(location).headers().firstValue("Range")).contains("0-0");
    }

    @Test
    void deniedUnderTheScannedNamespace() {
        byte[] content = "x".getBytes();
        assertError(http.post("/v2/scanned/team/app/blobs/uploads/", null), 403, "DENIED");
        assertError(http.post("/v2/scanned/team/app/blobs/uploads/?digest=" + Digest.sha256(content), content), 403,
                "DENIED");
        assertError(http.put("/v2/scanned/team/app/manifests/v1", "{}".getBytes(), "Content-Type",
                MediaType.OCI_MANIFEST), 403, "DENIED");
        assertError(http.delete("/v2/scanned/team/app/manifests/v1"), 403, "DENIED");
        assertError(http.delete("/v2/scanned/team/app/blobs/" + Digest.sha256(content)), 403, "DENIED");
        // Reading scanned/ is allowed (and simply finds nothing here).
        assertError(http.get("/v2/scanned/team/app/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void unsupportedMethod() {
        Fixtures.pushImage(http, "unscanned/errors/method", "v1");
        assertError(http.send("POST", "/v2/unscanned/errors/method/manifests/v1", "{}".getBytes()), 405, "UNSUPPORTED");
        assertError(http.send("PATCH", "/v2/unscanned/errors/method/tags/list", new byte[]{1}), 405, "UNSUPPORTED");
        assertError(http.send("PUT", "/v2/unscanned/errors/method/blobs/" + Digest.sha256(new byte[]{1}),
                new byte[]{1}), 405,
                "UNSUPPORTED");
        assertError(http.send("DELETE", "/v2/", null), 405, "UNSUPPORTED");
        // An invalid parameter is the spec's UNSUPPORTED too, but a client error: 400, not 405.
        assertError(http.get("/v2/unscanned/errors/method/tags/list?n=abc"), 400, "UNSUPPORTED");
        assertError(http.get("/v2/_catalog?n=-1"), 400, "UNSUPPORTED");
    }

    @Test
    void truncatedBodyLeavesNoBlob() throws Exception {
        byte[] content = Fixtures.randomBytes(100_000);
        Digest d = Digest.sha256(content);
        // Single POST and POST+PUT, each announcing the whole length and sending half before hanging up.
        String location = http.startUpload("unscanned/errors/truncated");
        for (String path : List.of("/v2/unscanned/errors/truncated/blobs/uploads/?digest=" + d,
                withDigest(location, d))) {
            String method = path.contains("uploads/?") ? "POST" : "PUT";
            try (Socket s = http.openRaw(method, path, "Content-Length", String.valueOf(content.length),
                    "Content-Type", "application/octet-stream")) {
                OutputStream out = s.getOutputStream();
                out.write(content, 0, content.length / 2);
                out.flush();
                s.shutdownOutput();
                s.getInputStream().readAllBytes();
            }
        }
        assertThat(http.head("/v2/unscanned/errors/truncated/blobs/" + d).statusCode()).isEqualTo(404);
        // The interrupted PUT kept what arrived: the client can see it and resume.
        long received = settledSize(location);
        assertThat(received).isBetween(1L, (long) content.length / 2);
        byte[] rest = java.util.Arrays.copyOfRange(content, (int) received, content.length);
        assertThat(http.put(withDigest(location, d), rest, "Content-Range", received + "-" + (content.length - 1))
                .statusCode()).isEqualTo(201);
        assertThat(http.get("/v2/unscanned/errors/truncated/blobs/" + d).body()).isEqualTo(content);
    }

    /** The upload's size once the server has finished the request whose client hung up (two equal readings). */
    private long settledSize(String location) throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 100; i++) {
            HttpResponse<byte[]> status = http.get(location);
            assertThat(status.statusCode()).as(body(status)).isEqualTo(204);
            long size = Long.parseLong(status.headers().firstValue("Range").orElseThrow().split("-")[1]) + 1;
            if (size == previous) {
                return size;
            }
            previous = size;
            Thread.sleep(200);
        }
        throw new AssertionError("upload size did not settle");
    }

    @Test
    void oversizeManifestIsRefused() throws Exception {
        byte[] big = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"annotations\":{\"x\":\""
                + "y".repeat(4 * 1024 * 1024) + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.put("/v2/unscanned/errors/big/manifests/v1", big, "Content-Type",
                MediaType.OCI_MANIFEST);
        assertError(r, 413, "MANIFEST_INVALID");
        // Without a Content-Length (chunked), the limit holds while reading.
        try (Socket s = http.openRaw("PUT", "/v2/unscanned/errors/big/manifests/v1", "Transfer-Encoding", "chunked",
                "Content-Type", MediaType.OCI_MANIFEST)) {
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < big.length; off += 65536) {
                int n = Math.min(65536, big.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(big, off, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Http.RawResponse raw = Http.readRaw(s);
            assertThat(raw.status()).as(raw.text()).isEqualTo(413);
            assertThat(raw.text()).contains("MANIFEST_INVALID");
        }
        assertError(http.get("/v2/unscanned/errors/big/manifests/v1"), 404, "NAME_UNKNOWN");
    }
}
