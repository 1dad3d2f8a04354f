package dev.portcullis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import dev.portcullis.storage.LocalPostgres;
import dev.portcullis.storage.S3BlobStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two stateless nodes sharing one S3-compatible bucket (s3proxy) and one PostgreSQL database (Debian's server):
 * an upload started on one node is continued and completed on the other, and each node serves what the other
 * stored.
 */
class ScaleOutIT {
    private static final String ACCESS = "scale-out";
    private static final String SECRET = "scale-out-secret";
    private static S3Proxy s3;
    private static LocalPostgres postgres;
    private static Path objects;

    @BeforeAll
    static void startSharedStorage() throws Exception {
        postgres = LocalPostgres.start();
        objects = Files.createTempDirectory("portcullis-s3-");
        s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(objects.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stopSharedStorage() throws Exception {
        if (s3 != null) {
            s3.stop();
            TestServer.deleteTree(objects);
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void anUploadMovesBetweenNodesAndBothServeTheResult() throws Exception {
        String bucket = "scale-out";
        Files.createDirectories(objects.resolve(bucket));
        ServerConfig.Storage shared = new ServerConfig.Storage(
                Optional.of(new S3BlobStore.Settings(URI.create("http://127.0.0.1:" + s3.getPort()), "us-east-1",
                        bucket, "registry", ACCESS, SECRET, true)),
                Optional.of(new ServerConfig.Postgres(postgres.createDatabase(), postgres.user(), "", 4)));
        try (TestServer a = TestServer.start(c -> c.withStorage(shared));
             TestServer b = TestServer.start(c -> c.withStorage(shared))) {
            String repo = "unscanned/team/app";
            byte[] layer = Fixtures.randomBytes(3 * 1024 * 1024 + 5);
            Digest digest = Digest.sha256(layer);

            String location = a.http().startUpload(repo);
            HttpResponse<byte[]> first = a.http().patch(location, Arrays.copyOfRange(layer, 0, 1024 * 1024),
                    "Content-Type", "application/octet-stream", "Content-Range", "0-1048575");
            assertThat(first.statusCode()).isEqualTo(202);
            HttpResponse<byte[]> status = b.http().get(location);
            assertThat(status.statusCode()).isEqualTo(204);
            assertThat(status.headers().firstValue("Range")).contains("0-1048575");
            HttpResponse<byte[]> done = b.http().put(Http.withDigest(location, digest),
                    Arrays.copyOfRange(layer, 1024 * 1024, layer.length), "Content-Type", "application/octet-stream");
            assertThat(done.statusCode()).isEqualTo(201);

            HttpResponse<byte[]> fromA = a.http().get("/v2/" + repo + "/blobs/" + digest);
            assertThat(fromA.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256(fromA.body())).isEqualTo(digest);

            Fixtures.Image image = Fixtures.pushImage(b.http(), repo, "v1");
            HttpResponse<byte[]> manifest = a.http().get("/v2/" + repo + "/manifests/v1",
                    "Accept", image.mediaType());
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.body()).isEqualTo(image.manifestBytes());
        }
    }
}
