package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The S3 blob store against a real S3-compatible server (s3proxy) in the test JVM, with signed requests. */
class S3BlobStoreTest extends BlobStoreContract {
    private static final String ACCESS = "portcullis-test";
    private static final String SECRET = "portcullis-test-secret";

    @TempDir
    static Path objects;
    private static S3Proxy proxy;

    @BeforeAll
    static void startS3() throws Exception {
        FilesystemNio2BlobStore backend = new FilesystemNio2BlobStore(objects.toString());
        proxy = S3Proxy.builder()
                .blobStore(backend)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        proxy.stop();
    }

    /** Each test gets its own bucket, so every store starts empty. */
    @Override
    protected BlobStore store() {
        String bucket = "t-" + UUID.randomUUID().toString().substring(0, 8);
        S3BlobStore.Settings settings = new S3BlobStore.Settings(URI.create("http://127.0.0.1:" + proxy.getPort()),
                "us-east-1", bucket, "portcullis", ACCESS, SECRET, true);
        software.amazon.awssdk.services.s3.S3Client admin = software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .endpointOverride(settings.endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS, SECRET)))
                .build();
        admin.createBucket(b -> b.bucket(bucket));
        return new S3BlobStore(settings);
    }

    @Test
    void blobsLargerThanOnePartAreAssembledInOrder() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes(20 * 1024 * 1024 + 17, 42);
        Digest d = Digest.sha256(content);
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, new ByteArrayInputStream(content, 0, 9 * 1024 * 1024), Long.MAX_VALUE);
        store.append(id, 9 * 1024 * 1024, new ByteArrayInputStream(content, 9 * 1024 * 1024,
                content.length - 9 * 1024 * 1024), Long.MAX_VALUE);
        assertThat(store.uploadedSize(id)).isEqualTo(content.length);
        store.commit(id, d);
        assertThat(store.stat(d)).contains(new BlobStore.BlobInfo(d, content.length));
        try (var in = store.open(d, 8 * 1024 * 1024 - 3, 10)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 8 * 1024 * 1024 - 3,
                    8 * 1024 * 1024 + 7));
        }
    }

    @Test
    void settingsNeverPrintTheSecret() {
        S3BlobStore.Settings s = new S3BlobStore.Settings(URI.create("http://x"), "r", "b", "p", "id", "s3cr3t", true);
        assertThat(s.toString()).doesNotContain("s3cr3t");
    }
}
