package dev.portcullis.server;

import static dev.portcullis.server.Http.assertError;
import static dev.portcullis.server.Http.body;
import static dev.portcullis.server.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.MediaType;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The spec's content discovery workflow: tags list (end-8a/8b), catalog, referrers (end-12a/12b). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiscoveryIT {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

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

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Optional<String> next(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Link").map(l -> {
            Matcher m = NEXT.matcher(l);
            assertThat(m.find()).as("Link header " + l).isTrue();
            return m.group(1);
        });
    }

    @Test
    void tagsListAndPagination() {
        Fixtures.Image image = Fixtures.pushImage(http, "unscanned/discover/tags", "b");
        for (String tag : List.of("a", "c", "d", "e")) {
            http.pushManifest("unscanned/discover/tags", tag, MediaType.OCI_MANIFEST, image.manifestBytes());
        }
        HttpResponse<byte[]> all = http.get("/v2/unscanned/discover/tags/tags/list");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).get("name").asText()).isEqualTo("unscanned/discover/tags");
        assertThat(texts(json(all).get("tags"))).containsExactly("a", "b", "c", "d", "e");
        assertThat(all.headers().firstValue("Link")).isEmpty();

        // Follow the Link headers page by page.
        List<String> seen = new ArrayList<>();
        String url = "/v2/unscanned/discover/tags/tags/list?n=2";
        int pages = 0;
        while (url != null && pages++ < 10) {
            HttpResponse<byte[]> page = http.get(url);
            assertThat(page.statusCode()).as(body(page)).isEqualTo(200);
            List<String> tags = texts(json(page).get("tags"));
            assertThat(tags.size()).isLessThanOrEqualTo(2);
            seen.addAll(tags);
            url = next(page).orElse(null);
        }
        assertThat(seen).containsExactly("a", "b", "c", "d", "e");

        HttpResponse<byte[]> afterC = http.get("/v2/unscanned/discover/tags/tags/list?n=2&last=c");
        assertThat(texts(json(afterC).get("tags"))).containsExactly("d", "e");
        HttpResponse<byte[]> zero = http.get("/v2/unscanned/discover/tags/tags/list?n=0");
        assertThat(zero.statusCode()).isEqualTo(200);
        assertThat(json(zero).get("tags")).isEmpty();
        assertThat(texts(json(http.get("/v2/unscanned/discover/tags/tags/list?last=d")).get("tags")))
                .containsExactly("e");
    }

    @Test
    void tagsOfAnUnknownRepositoryAreNameUnknown() {
        assertError(http.get("/v2/unscanned/discover/nothing/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void catalogAndPagination() {
        for (String repo : List.of("unscanned/discover/cat-a", "unscanned/discover/cat-b",
                "unscanned/discover/cat-c")) {
            Fixtures.pushImage(http, repo, "v1");
        }
        http.pushBlob("unscanned/discover/cat-blobs-only", new byte[]{1});
        HttpResponse<byte[]> all = http.get("/v2/_catalog");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(texts(json(all).get("repositories")))
                .contains("unscanned/discover/cat-a", "unscanned/discover/cat-b", "unscanned/discover/cat-c")
                .doesNotContain("unscanned/discover/cat-blobs-only");

        List<String> seen = new ArrayList<>();
        String url = "/v2/_catalog?n=1";
        int pages = 0;
        while (url != null && pages++ < 100) {
            HttpResponse<byte[]> page = http.get(url);
            List<String> repos = texts(json(page).get("repositories"));
            assertThat(repos.size()).isLessThanOrEqualTo(1);
            seen.addAll(repos);
            url = next(page).orElse(null);
        }
        assertThat(seen).isEqualTo(texts(json(all).get("repositories")));
        assertThat(texts(json(http.get("/v2/_catalog?n=2&last=unscanned/discover/cat-a")).get("repositories")))
                .containsExactly("unscanned/discover/cat-b", "unscanned/discover/cat-c");
    }

    @Test
    void referrersWithAndWithoutArtifactTypeFilter() {
        String repo = "unscanned/discover/referrers";
        Fixtures.Image subject = Fixtures.pushArtifact(http, repo, "v1");
        Fixtures.Image sbom = Fixtures.pushImage(http, repo, null, MediaType.OCI_MANIFEST, subject.descriptor(),
                "application/vnd.example.sbom");
        Fixtures.Image sig = Fixtures.pushImage(http, repo, null, MediaType.OCI_MANIFEST, subject.descriptor(),
                "application/vnd.example.sig");
        // An index can be a referrer too; its artifactType is reported.
        byte[] indexReferrer = Fixtures.index(MediaType.OCI_INDEX, List.of(sbom.descriptor()), subject.descriptor(),
                "application/vnd.example.bundle");
        Digest bundle = http.pushManifest(repo, Digest.sha256(indexReferrer).toString(), MediaType.OCI_INDEX,
                indexReferrer);
        // A referrer without artifactType reports its config media type.
        Fixtures.Image plain = Fixtures.pushImage(http, repo, null, MediaType.OCI_MANIFEST, subject.descriptor(),
                null);

        HttpResponse<byte[]> all = http.get("/v2/" + repo + "/referrers/" + subject.manifest());
        assertThat(all.statusCode()).as(body(all)).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).contains(MediaType.OCI_INDEX);
        assertThat(all.headers().firstValue("OCI-Filters-Applied")).isEmpty();
        JsonNode index = json(all);
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asText()).isEqualTo(MediaType.OCI_INDEX);
        List<String> digests = new ArrayList<>();
        for (JsonNode d : index.get("manifests")) {
            digests.add(d.get("digest").asText());
            assertThat(d.get("size").asLong()).isPositive();
            assertThat(d.get("mediaType").asText()).isIn(MediaType.OCI_MANIFEST, MediaType.OCI_INDEX);
            String expectedType = d.get("digest").asText().equals(sbom.manifest().toString())
                    ? "application/vnd.example.sbom"
                    : d.get("digest").asText().equals(sig.manifest().toString()) ? "application/vnd.example.sig"
                    : d.get("digest").asText().equals(bundle.toString()) ? "application/vnd.example.bundle"
                    : MediaType.OCI_CONFIG;
            assertThat(d.get("artifactType").asText()).isEqualTo(expectedType);
        }
        assertThat(digests).containsExactlyInAnyOrder(sbom.manifest().toString(), sig.manifest().toString(),
                bundle.toString(), plain.manifest().toString());

        HttpResponse<byte[]> filtered = http.get("/v2/" + repo + "/referrers/" + subject.manifest()
                + "?artifactType=application/vnd.example.sig");
        assertThat(filtered.statusCode()).isEqualTo(200);
        assertThat(filtered.headers().firstValue("OCI-Filters-Applied")).contains("artifactType");
        assertThat(json(filtered).get("manifests")).hasSize(1);
        assertThat(json(filtered).get("manifests").get(0).get("digest").asText()).isEqualTo(sig.manifest().toString());
    }

    @Test
    void referrerDescriptorsCarryTheManifestAnnotations() {
        String repo = "unscanned/discover/annotated";
        Fixtures.Image subject = Fixtures.pushArtifact(http, repo, "v1");
        byte[] empty = "{}".getBytes();
        Digest config = http.pushBlob(repo, empty);
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) dev.portcullis.oci.Json.parse(
                Fixtures.imageManifest(MediaType.OCI_MANIFEST, MediaType.OCI_EMPTY, config, empty.length, List.of(),
                        subject.descriptor(), "application/vnd.example.sbom"));
        manifest.putObject("annotations").put("org.opencontainers.image.created", "2026-11-23T00:00:00Z")
                .put("com.example.tool", "portcullis");
        byte[] bytes = dev.portcullis.oci.Json.write(manifest);
        Digest referrer = http.pushManifest(repo, Digest.sha256(bytes).toString(), MediaType.OCI_MANIFEST, bytes);

        JsonNode d = json(http.get("/v2/" + repo + "/referrers/" + subject.manifest())).get("manifests").get(0);
        assertThat(d.get("digest").asText()).isEqualTo(referrer.toString());
        assertThat(d.get("size").asLong()).isEqualTo(bytes.length);
        assertThat(d.get("annotations").get("org.opencontainers.image.created").asText())
                .isEqualTo("2026-11-23T00:00:00Z");
        assertThat(d.get("annotations").get("com.example.tool").asText()).isEqualTo("portcullis");
    }

    @Test
    void referrersOfADigestWithoutReferrersIsAnEmptyIndex() {
        Fixtures.Image lonely = Fixtures.pushArtifact(http, "unscanned/discover/lonely", "v1");
        for (Digest d : List.of(lonely.manifest(), Digest.sha256("nothing".getBytes()))) {
            HttpResponse<byte[]> r = http.get("/v2/unscanned/discover/lonely/referrers/" + d);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains(MediaType.OCI_INDEX);
            assertThat(json(r).get("manifests")).isEmpty();
        }
        assertError(http.get("/v2/unscanned/discover/lonely/referrers/sha256:nothex"), 400, "DIGEST_INVALID");
    }

    @Test
    void aListCutByTheServersPageLimitLinksToTheRest() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withLimits(new dev.portcullis.registry.RegistryLimits(
                c.limits().maxBlobBytes(), c.limits().maxManifestBytes(), 2)))) {
            Http http = server.http();
            for (String tag : java.util.List.of("a", "b", "c")) {
                Fixtures.pushImage(http, "unscanned/page/app", tag);
            }
            var first = http.get("/v2/unscanned/page/app/tags/list");
            assertThat(Http.json(first).path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
            assertThat(first.headers().firstValue("Link"))
                    .contains("</v2/unscanned/page/app/tags/list?n=2&last=b>; rel=\"next\"");
            var rest = http.get("/v2/unscanned/page/app/tags/list?n=2&last=b");
            assertThat(Http.json(rest).path("tags").toString()).isEqualTo("[\"c\"]");
            assertThat(rest.headers().firstValue("Link")).isEmpty();
            var none = http.get("/v2/unscanned/page/app/tags/list?n=0");
            assertThat(Http.json(none).path("tags").size()).isZero();
            assertThat(http.get("/v2/unscanned/unknown/app/tags/list?n=0").statusCode()).isEqualTo(404);
        }
    }
}
