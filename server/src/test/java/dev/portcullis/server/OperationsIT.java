package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What operators rely on: liveness, readiness and the Prometheus metrics the registry traffic feeds. */
class OperationsIT {

    @Test
    void healthReadinessAndMetrics() throws Exception {
        try (TestServer server = TestServer.start()) {
            Http http = server.http();
            assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(http.get("/readyz").statusCode()).isEqualTo(200);

            byte[] blob = Fixtures.randomBytes(12_345);
            var digest = http.pushBlob("unscanned/ops/app", blob);
            // A chunked PATCH announces no length: what was read is what counts as received.
            byte[] chunk = Fixtures.randomBytes(54_321);
            var patch = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    http.uri(http.startUpload("unscanned/ops/chunked"))).method("PATCH", java.net.http.HttpRequest
                    .BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(chunk))).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(patch.statusCode()).isEqualTo(202);
            http.get("/v2/unscanned/ops/app/blobs/" + digest);
            http.get("/v2/unscanned/ops/app/manifests/missing");

            HttpResponse<byte[]> metrics = http.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain"));
            String text = new String(metrics.body(), StandardCharsets.UTF_8);
            assertThat(text).contains("portcullis_http_requests_total{")
                    .containsPattern("portcullis_http_requests_total\\{[^}]*route=\"/v2/\\{name}/blobs/\\{digest}\"[^}]*"
                            + "status=\"200\"")
                    .containsPattern("portcullis_http_requests_total\\{[^}]*route=\"/v2/\\{name}/manifests/"
                            + "\\{reference}\"[^}]*status=\"404\"")
                    .contains("portcullis_http_request_duration_seconds")
                    .contains("portcullis_blob_upload_duration_seconds");
            double sent = text.lines().filter(l -> l.startsWith("portcullis_blob_sent_bytes_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(sent).isGreaterThanOrEqualTo(blob.length);
            double received = text.lines().filter(l -> l.startsWith("portcullis_http_received_bytes_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(received).isGreaterThanOrEqualTo(blob.length + chunk.length);
        }
    }

    @Test
    void vulnerabilityFeedsAndFailingSourcesAreMetrics() throws Exception {
        try (TestServer server = TestServer.start()) {
            java.nio.file.Path feed = java.nio.file.Files.createTempDirectory("feed-");
            java.nio.file.Files.writeString(feed.resolve("GHSA-xxxx-yyyy-zzzz.json"), """
                    {"id": "GHSA-xxxx-yyyy-zzzz", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-0001"],
                     "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                       "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
                    """);
            server.server().vulnDb().importFrom(java.util.List.of(feed.toString()));
            // a download that fails: the database keeps its state and the source is marked failing
            try {
                server.server().vulnDb().importFrom(java.util.List.of("http://127.0.0.1:1/feed.zip"));
            } catch (RuntimeException expected) {
                // the failure is reported to the caller and recorded for status and metrics
            }
            String text = new String(server.http().get("/metrics").body(), StandardCharsets.UTF_8);
            assertThat(text).containsPattern("portcullis_vulndb_feed_records\\{feed=\"[^\"]+\"} 1\\.0")
                    .contains("portcullis_vulndb_feed_age_seconds{")
                    .containsPattern("portcullis_vulndb_source_failing\\{source=\"http://127.0.0.1:1/feed.zip\"} 1\\.0");
            TestServer.deleteTree(feed);
        }
    }
}
