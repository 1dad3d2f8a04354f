package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.testing.Corpus;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.LocalPostgres;
import dev.portcullis.vulndb.VulnDb;
import dev.portcullis.vulndb.feed.FeedDownloader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one PostgreSQL and one S3-compatible store (s3proxy), as two nodes behind a balancer: the
 * node that took a job dies in the middle of it (its process halts while scanning, as a SIGKILL would), and the other
 * node finishes the job once the dead node's lease ran out - once, with the right verdict and promotion, served from
 * the shared store. Then, both nodes running, images pushed to either are each judged once by exactly one node.
 */
class GateTwoNodesIT {
    private static final String ACCESS = "two-nodes";
    private static final String SECRET = "two-nodes-secret";

    @TempDir
    Path work;

    @Test
    void aNodeKilledMidJobLeavesItToTheOtherWhichFinishesItOnce() throws Exception {
        GateProcess.jar();
        Path feeds = Corpus.feeds();
        Path objects = Files.createDirectories(work.resolve("s3"));
        Files.createDirectories(objects.resolve("gate"));
        S3Proxy s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(objects.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        s3.start();
        try (LocalPostgres postgres = LocalPostgres.start()) {
            while (!"STARTED".equals(s3.getState())) {
                Thread.sleep(10);
            }
            String url = postgres.createDatabase();
            try (Database db = Database.postgresql(url, postgres.user(), "", 2)) {
                VulnDb.open(db, Clock.systemUTC(), new FeedDownloader(HttpClient.newHttpClient(), 1L << 30,
                        Duration.ofMinutes(1))).importFrom(List.of(feeds.toString()));
            }
            Map<String, String> shared = new LinkedHashMap<>();
            shared.put("PORTCULLIS_DB_URL", url);
            shared.put("PORTCULLIS_DB_USER", postgres.user());
            shared.put("PORTCULLIS_S3_ENDPOINT", "http://127.0.0.1:" + s3.getPort());
            shared.put("PORTCULLIS_S3_REGION", "us-east-1");
            shared.put("PORTCULLIS_S3_BUCKET", "gate");
            shared.put("PORTCULLIS_S3_ACCESS_KEY", ACCESS);
            shared.put("PORTCULLIS_S3_SECRET_KEY", SECRET);
            shared.put("PORTCULLIS_S3_PATH_STYLE", "true");
            int portA = GateProcess.freePort();
            int portB = GateProcess.freePort();
            String repository = "unscanned/nodes/alpine";
            String digest;
            long deadA;
            // node A takes the job and dies while scanning it
            try (GateProcess a = GateProcess.start(work.resolve("a"), portA, "scanning", shared,
                    work.resolve("a.log"))) {
                deadA = a.pid();
                digest = a.push(Corpus.image("alpine-3.10.3").resolve("oci"), repository, "1");
                assertThat(a.awaitHalt()).as(a.log()).isEqualTo(137);
            }
            try (Database db = Database.postgresql(url, postgres.user(), "", 2)) {
                GateProcess.Rows left = GateProcess.rows(db, repository, digest);
                left.assertWhole();
                assertThat(left.jobState()).as("A's job is still leased to A: " + left).isEqualTo("running");
                assertThat(left.leaseOwner()).startsWith("node-" + deadA + "-");
                assertThat(left.hasVerdict()).isFalse();
            }
            // node B (a node running beside A all along would do the same) finishes it after A's lease
            try (GateProcess b = GateProcess.start(work.resolve("b"), portB, null, shared, work.resolve("b.log"))) {
                assertThat(b.awaitState(repository, "1")).as(b.log()).isEqualTo("promoted");
                assertThat(b.manifestStatus("scanned/nodes/alpine", "1")).isEqualTo(200);
                try (Database db = Database.postgresql(url, postgres.user(), "", 2)) {
                    GateProcess.Rows done = GateProcess.rows(db, repository, digest);
                    done.assertWhole();
                    assertThat(done.jobs()).isEqualTo(1);
                    assertThat(done.jobState()).isEqualTo("done");
                    assertThat(done.attempts()).as("taken by A, then by B").isEqualTo(2);
                    assertThat(done.verdicts()).as("judged once").isEqualTo(1);
                    assertThat(done.verdictNode()).startsWith(b.nodePrefix());
                }

                // both nodes up: pushes to either node are each judged once, by one node
                try (GateProcess a = GateProcess.start(work.resolve("a"), portA, null, shared,
                        work.resolve("a2.log"))) {
                    Map<String, String> expected = Map.of("go-app", "promoted", "java-app", "rejected",
                            "misconfig-secrets", "rejected");
                    Map<String, String> digests = new LinkedHashMap<>();
                    int i = 0;
                    for (String image : expected.keySet()) {
                        GateProcess to = i++ % 2 == 0 ? a : b;
                        digests.put(image, to.push(Corpus.image(image).resolve("oci"), "unscanned/nodes/" + image,
                                "1"));
                    }
                    try (Database db = Database.postgresql(url, postgres.user(), "", 2)) {
                        for (String image : expected.keySet()) {
                            String repo = "unscanned/nodes/" + image;
                            assertThat(a.awaitState(repo, "1")).as(image).isEqualTo(expected.get(image));
                            assertThat(b.awaitState(repo, "1")).as(image).isEqualTo(expected.get(image));
                            GateProcess.Rows r = GateProcess.rows(db, repo, digests.get(image));
                            r.assertWhole();
                            assertThat(r.attempts()).as(image + " taken by one node once: " + r).isEqualTo(1);
                            assertThat(r.verdicts()).as(image).isEqualTo(1);
                            assertThat(r.verdictNode()).satisfiesAnyOf(n -> assertThat(n).startsWith(a.nodePrefix()),
                                    n -> assertThat(n).startsWith(b.nodePrefix()));
                        }
                    }
                }
            }
        } finally {
            s3.stop();
        }
    }
}
