package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** The spec's pull workflow (end-1, end-2, end-3) plus ranges, content negotiation and the Docker media types. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullIT {
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
    void baseEndpointAnswers200WithTheApiVersionHeader() {
        HttpResponse<byte[]> r = http.get("/v2/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Docker-Distribution-API-Version")).contains("registry/2.0");
    }

    @Test
    void manifestByTagAndByDigestWithGetAndHead() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/pull/manifest", "v1");
        for (String ref : List.of("v1", image.manifest().toString())) {
            String path = "/v2/unscanned/pull/manifest/manifests/" + ref;
            HttpResponse<byte[]> get = http.get(path, "Accept", MediaType.OCI_MANIFEST);
            assertThat(get.statusCode()).as(body(get)).isEqualTo(200);
            assertThat(get.body()).isEqualTo(image.manifestBytes());
            assertThat(get.headers().firstValue("Content-Type")).contains(MediaType.OCI_MANIFEST);
            assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(image.manifest().toString());

            HttpResponse<byte[]> head = http.head(path, "Accept", MediaType.OCI_MANIFEST);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(image.manifestBytes().length);
            assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(image.manifest().toString());
            assertThat(head.headers().firstValue("Content-Type")).contains(MediaType.OCI_MANIFEST);
        }
    }

    @Test
    void unknownManifestIs404() {
        Fixtures.pushImage(http, "unscanned/pull/missing", "v1");
        assertError(http.get("/v2/unscanned/pull/missing/manifests/nope"), 404, "MANIFEST_UNKNOWN");
        assertError(http.get("/v2/unscanned/pull/missing/manifests/" + Digest.sha256(new byte[]{1})), 404,
                "MANIFEST_UNKNOWN");
        assertThat(http.head("/v2/unscanned/pull/missing/manifests/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void blobGetAndHead() {
        byte[] content = Fixtures.randomBytes(100_000);
        Digest d = http.pushBlob("unscanned/pull/blob", content);
        HttpResponse<byte[]> get = http.get("/v2/unscanned/pull/blob/blobs/" + d);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(content);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        HttpResponse<byte[]> head = http.head("/v2/unscanned/pull/blob/blobs/" + d);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(head.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
        assertThat(head.body()).isEmpty();

        Digest absent = Digest.sha256("absent".getBytes());
        assertError(http.get("/v2/unscanned/pull/blob/blobs/" + absent), 404, "BLOB_UNKNOWN");
        assertThat(http.head("/v2/unscanned/pull/blob/blobs/" + absent).statusCode()).isEqualTo(404);
    }

    @Test
    void blobIsVisibleOnlyThroughRepositoriesThatHoldIt() {
        Digest d = http.pushBlob("unscanned/pull/owner", Fixtures.randomBytes(64));
        assertError(http.get("/v2/unscanned/pull/stranger/blobs/" + d), 404, "BLOB_UNKNOWN");
    }

    @Test
    void rangeRequests() {
        byte[] content = Fixtures.randomBytes(10_000);
        Digest d = http.pushBlob("unscanned/pull/range", content);
        String path = "/v2/unscanned/pull/range/blobs/" + d;

        HttpResponse<byte[]> part = http.get(path, "Range", "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/10000");

        HttpResponse<byte[]> open = http.get(path, "Range", "bytes=9990-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 9990, 10_000));

        HttpResponse<byte[]> suffix = http.get(path, "Range", "bytes=-10");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, 9990, 10_000));

        HttpResponse<byte[]> beyondEnd = http.get(path, "Range", "bytes=9000-20000");
        assertThat(beyondEnd.statusCode()).isEqualTo(206);
        assertThat(beyondEnd.body()).isEqualTo(Arrays.copyOfRange(content, 9000, 10_000));

        HttpResponse<byte[]> huge = http.get(path, "Range", "bytes=9000-99999999999999999999999");
        assertThat(huge.statusCode()).as("a last byte past any blob is clamped").isEqualTo(206);
        assertThat(huge.body()).isEqualTo(Arrays.copyOfRange(content, 9000, 10_000));
        assertThat(http.get(path, "Range", "bytes=99999999999999999999999-").statusCode()).isEqualTo(416);

        HttpResponse<byte[]> unsatisfiable = http.get(path, "Range", "bytes=10000-");
        assertThat(unsatisfiable.statusCode()).isEqualTo(416);
        assertThat(unsatisfiable.headers().firstValue("Content-Range")).contains("bytes */10000");
    }

    /**
     * A blob is sent from a kept mapping (the second and later pulls) or in mapped windows (when the cache cannot
     * keep it): either way a range must be cut exactly, also across window boundaries.
     */
    @Test
    void rangesOfALargeBlobFromTheKeptMapping() {
        assertRangesCutExactly(http, "unscanned/pull/large-range");
        assertThat(http.get("/metrics").body()).asString()
                .containsPattern("portcullis_blob_mapping_lookups_total\\{result=\"hit\"} [1-9]");
    }

    @Test
    void rangesOfALargeBlobFromMappedWindows() throws Exception {
        try (TestServer uncached = TestServer.start(c -> c.withBlobMapCache(DataSize.ofBytes(0)))) {
            assertRangesCutExactly(uncached.http(), "unscanned/pull/windows");
            assertThat(uncached.http().get("/metrics").body()).asString()
                    .contains("portcullis_blob_mapped_bytes 0.0")
                    .containsPattern("portcullis_blob_mapping_lookups_total\\{result=\"hit\"} 0.0");
        }
    }

    private static void assertRangesCutExactly(Http http, String repository) {
        int mib = 1 << 20;
        byte[] content = Fixtures.randomBytes(9 * mib + 4321);
        Digest d = http.pushBlob(repository, content);
        String path = "/v2/" + repository + "/blobs/" + d;
        assertThat(http.get(path).body()).isEqualTo(content);
        long[][] ranges = {{0, 4L * mib - 1}, {4L * mib - 1, 8L * mib}, {3L * mib + 17, 9L * mib + 4000},
            {4L * mib, 4L * mib}, {8L * mib + 1, content.length - 1}};
        for (long[] r : ranges) {
            HttpResponse<byte[]> part = http.get(path, "Range", "bytes=" + r[0] + "-" + r[1]);
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).as("bytes %d-%d", r[0], r[1])
                    .isEqualTo(Arrays.copyOfRange(content, (int) r[0], (int) r[1] + 1));
        }
    }

    @Test
    void acceptNegotiation() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/pull/accept", "v1");
        String path = "/v2/unscanned/pull/accept/manifests/v1";
        // A client listing several types with parameters and q-values gets the stored type.
        HttpResponse<byte[]> list = http.get(path, "Accept", MediaType.DOCKER_MANIFEST + "; q=0.9, "
                + MediaType.OCI_MANIFEST + ";q=1.0", "Accept", MediaType.OCI_INDEX);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Type")).contains(MediaType.OCI_MANIFEST);
        assertThat(http.get(path).statusCode()).as("no Accept header").isEqualTo(200);
        assertThat(http.get(path, "Accept", "*/*").statusCode()).isEqualTo(200);
        // Only a type the manifest is not: the registry does not convert, it says the manifest is not available so.
        HttpResponse<byte[]> refused = http.get(path, "Accept", MediaType.DOCKER_MANIFEST);
        assertError(refused, 404, "MANIFEST_UNKNOWN");
        assertThat(http.get("/v2/unscanned/pull/accept/manifests/" + image.manifest(), "Accept", MediaType.OCI_MANIFEST)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void dockerSchema2ManifestAndManifestList() {
        Fixtures.Image amd64 = Fixtures.pushImage(http, "unscanned/pull/docker", "amd64", MediaType.DOCKER_MANIFEST,
                null,
                null);
        Fixtures.Image arm64 = Fixtures.pushImage(http, "unscanned/pull/docker", "arm64", MediaType.DOCKER_MANIFEST,
                null,
                null);
        byte[] list = Fixtures.index(MediaType.DOCKER_MANIFEST_LIST, List.of(
                Fixtures.platform(amd64.descriptor(), "linux", "amd64"),
                Fixtures.platform(arm64.descriptor(), "linux", "arm64")), null, null);
        Digest listDigest = http.pushManifest("unscanned/pull/docker", "multi", MediaType.DOCKER_MANIFEST_LIST, list);
        assertThat(listDigest).isEqualTo(Digest.sha256(list));

        HttpResponse<byte[]> get = http.get("/v2/unscanned/pull/docker/manifests/multi", "Accept",
                MediaType.DOCKER_MANIFEST_LIST + ", " + MediaType.DOCKER_MANIFEST);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).contains(MediaType.DOCKER_MANIFEST_LIST);
        assertThat(get.body()).isEqualTo(list);
        HttpResponse<byte[]> child = http.get("/v2/unscanned/pull/docker/manifests/" + amd64.manifest(), "Accept",
                MediaType.DOCKER_MANIFEST);
        assertThat(child.headers().firstValue("Content-Type")).contains(MediaType.DOCKER_MANIFEST);
        assertThat(child.body()).isEqualTo(amd64.manifestBytes());
    }

    @Test
    void sha512BlobsAndManifests() {
        byte[] config = "{\"os\":\"linux\"}".getBytes();
        byte[] layer = Fixtures.randomBytes(5000);
        Digest c = http.pushBlob("unscanned/pull/sha512", config, Digest.compute(Digest.Algorithm.SHA512, config));
        Digest l = http.pushBlob("unscanned/pull/sha512", layer, Digest.compute(Digest.Algorithm.SHA512, layer));
        assertThat(c.algorithm()).isEqualTo(Digest.Algorithm.SHA512);
        HttpResponse<byte[]> blob = http.get("/v2/unscanned/pull/sha512/blobs/" + l);
        assertThat(blob.statusCode()).isEqualTo(200);
        assertThat(blob.body()).isEqualTo(layer);
        assertThat(blob.headers().firstValue("Docker-Content-Digest")).contains(l.toString());

        byte[] manifest = Fixtures.ociManifest(c, config.length, List.of(Map.entry(l, (long) layer.length)));
        Digest m = Digest.compute(Digest.Algorithm.SHA512, manifest);
        assertThat(http.pushManifest("unscanned/pull/sha512", m.toString(), MediaType.OCI_MANIFEST,
                manifest)).isEqualTo(m);
        HttpResponse<byte[]> get = http.get("/v2/unscanned/pull/sha512/manifests/" + m, "Accept",
                MediaType.OCI_MANIFEST);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(manifest);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(m.toString());
    }

    @Test
    void ociIndexWithNestedChildren() {
        Fixtures.Image a = Fixtures.pushImage(http, "unscanned/pull/index", null);
        Fixtures.Image b = Fixtures.pushImage(http, "unscanned/pull/index", null);
        ObjectNode da = Fixtures.platform(a.descriptor(), "linux", "amd64");
        ObjectNode db = Fixtures.platform(b.descriptor(), "linux", "arm64");
        byte[] index = Fixtures.index(MediaType.OCI_INDEX, List.of(da, db), null, null);
        Digest d = http.pushManifest("unscanned/pull/index", "latest", MediaType.OCI_INDEX, index);
        HttpResponse<byte[]> get = http.get("/v2/unscanned/pull/index/manifests/latest", "Accept", MediaType.OCI_INDEX);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).contains(MediaType.OCI_INDEX);
        assertThat(get.headers().firstValue("Docker-Content-Digest")).contains(d.toString());
    }
}
