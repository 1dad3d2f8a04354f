package dev.portcullis.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.storage.Database;
import dev.portcullis.storage.FileBlobStore;
import dev.portcullis.storage.JdbcMetadataStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry semantics without HTTP, on the real embedded stores. */
class RegistryTest {
    private static final RepositoryName REPO = RepositoryName.of("unscanned/team/app");

    @TempDir
    Path dir;
    private Database db;
    private MutableClock clock;
    private Registry registry;
    private FileBlobStore blobs;

    /** A clock the test moves forward. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void open() {
        db = Database.sqlite(dir);
        clock = new MutableClock();
        blobs = new FileBlobStore(dir.resolve("blobs"));
        registry = new Registry(blobs, new JdbcMetadataStore(db, clock), clock,
                RegistryLimits.DEFAULTS, List.of());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void abandonedUploadsExpire() {
        String old = registry.startUpload(REPO).value();
        clock.now = clock.now.plus(Duration.ofHours(23));
        String recent = registry.startUpload(REPO).value();
        clock.now = clock.now.plus(Duration.ofHours(2));
        assertThat(registry.expireUploads(Duration.ofHours(24))).isEqualTo(1);
        assertThatThrownBy(() -> registry.uploadStatus(REPO, old)).isInstanceOf(RegistryException.class)
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertThat(registry.uploadStatus(REPO, recent)).isZero();
    }

    @Test
    void bytesLeftWithoutASessionExpireToo() throws Exception {
        // what a crash in the middle of a monolithic put leaves: upload bytes, no session
        dev.portcullis.storage.UploadId orphan = dev.portcullis.storage.UploadId.random();
        blobs.startUpload(orphan);
        blobs.append(orphan, 0, new ByteArrayInputStream(new byte[100]), 1000);
        clock.now = Instant.now().plus(Duration.ofDays(2));
        assertThat(registry.expireUploads(Duration.ofHours(24))).isEqualTo(1);
        assertThat(blobs.uploadsIdleSince(clock.now)).isEmpty();
    }

    @Test
    void uploadIdsOfAnotherRepositoryAreUnknown() {
        String id = registry.startUpload(REPO).value();
        assertThatThrownBy(() -> registry.uploadStatus(RepositoryName.of("other"), id))
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN);
        assertThatThrownBy(() -> registry.uploadStatus(REPO, "../../etc"))
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.BLOB_UPLOAD_UNKNOWN);
    }

    @Test
    void mountLinksWithoutCopyingAndFallsBackWhenAbsent() {
        byte[] layer = "layer".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(layer);
        registry.putBlob(REPO, d.toString(), new ByteArrayInputStream(layer));
        RepositoryName target = RepositoryName.of("unscanned/team/copy");
        assertThat(registry.mount(target, REPO, d)).isPresent();
        assertThat(registry.blob(target, d).size()).isEqualTo(layer.length);
        assertThat(registry.mount(target, RepositoryName.of("nowhere"), Digest.sha256(new byte[1]))).isEmpty();
        assertThat(registry.blobFile(d)).isPresent();
    }

    @Test
    void manifestPushIsRefusedUntilItsBlobsArePresent() {
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},
                 "layers":[]}""".formatted(configDigest);
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> registry.putManifest(REPO, "v1", "application/vnd.oci.image.manifest.v1+json",
                bytes)).extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.MANIFEST_BLOB_UNKNOWN);
        registry.putBlob(REPO, configDigest.toString(), new ByteArrayInputStream(config));
        Registry.PutResult result = registry.putManifest(REPO, "v1", "application/vnd.oci.image.manifest.v1+json",
                bytes);
        assertThat(result.digest()).isEqualTo(Digest.sha256(bytes));
        assertThat(registry.manifest(REPO, "v1").content()).isEqualTo(bytes);
        assertThat(registry.tags(REPO, Optional.empty(), 10)).containsExactly("v1");
    }

    private Digest push(RepositoryName repository, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(b);
        registry.putBlob(repository, d.toString(), new ByteArrayInputStream(b));
        return d;
    }

    @Test
    void garbageCollectionRemovesOnlyBlobsNothingLinksOnceTheyAreOldEnough() {
        RepositoryName other = RepositoryName.of("unscanned/team/other");
        Digest kept = push(REPO, "kept");
        Digest deleted = push(REPO, "deleted!");
        registry.deleteBlob(REPO, deleted);
        Digest mounted = push(REPO, "mounted");
        assertThat(registry.mount(other, REPO, mounted)).isPresent();
        registry.deleteBlob(REPO, mounted); // still linked in the other repository

        clock.now = Instant.now();
        assertThat(registry.collectGarbage(Duration.ofHours(1), false))
                .isEqualTo(new Registry.GarbageReport(0, 0, 0, false)); // all written within the grace period

        clock.now = Instant.now().plus(Duration.ofHours(2));
        assertThat(registry.collectGarbage(Duration.ofHours(1), true))
                .isEqualTo(new Registry.GarbageReport(3, 1, 8, true));
        assertThat(blobs.stat(deleted)).as("a dry run removes nothing").isPresent();
        assertThat(registry.collectGarbage(Duration.ofHours(1), false))
                .isEqualTo(new Registry.GarbageReport(3, 1, 8, false));
        assertThat(blobs.stat(deleted)).isEmpty();
        assertThat(blobs.stat(kept)).isPresent();
        assertThat(blobs.stat(mounted)).isPresent();
        assertThat(registry.blob(other, mounted).size()).isEqualTo(7);

        assertThat(push(REPO, "deleted!")).isEqualTo(deleted); // pushed again, it is whole again
        assertThat(registry.blob(REPO, deleted).size()).isEqualTo(8);
        assertThatThrownBy(() -> registry.collectGarbage(Duration.ofSeconds(-1), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A blob pushed again while a collection runs is linked with its bytes, or the push is refused with a message
     * (the collection removed it between commit and link): never a link without bytes.
     */
    @Test
    void aCollectionRacingAPushOfTheSameBlobNeverLeavesALinkWithoutBytes() throws Exception {
        clock.now = Instant.now().plus(Duration.ofHours(2)); // everything counts as old: only the lock protects
        Digest d = push(REPO, "contended");
        for (int i = 0; i < 200; i++) {
            registry.deleteBlob(REPO, d);
            Thread collector = Thread.ofVirtual().start(() -> registry.collectGarbage(Duration.ofHours(1), false));
            try {
                push(REPO, "contended");
            } catch (RegistryException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UPLOAD_INVALID);
                assertThat(e.getMessage()).contains("push it again");
                collector.join();
                push(REPO, "contended");
            }
            collector.join();
            assertThat(blobs.stat(d)).as("iteration %d", i).isPresent();
            assertThat(registry.blob(REPO, d).size()).isEqualTo(9);
        }
    }

    private static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";

    private byte[] image(RepositoryName repository, String layerText) {
        Digest config = push(repository, "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        Digest layer = push(repository, layerText);
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + IMAGE + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":37},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer
                + "\",\"size\":" + layerText.length() + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyClientWriteToScannedIsDeniedWhateverTheCaller() {
        RepositoryName scanned = RepositoryName.of("scanned/team/app");
        byte[] manifest = image(REPO, "layer");
        Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> writes = List.of(
                () -> registry.startUpload(scanned),
                () -> registry.putBlob(scanned, layer.toString(), new ByteArrayInputStream(new byte[0])),
                () -> registry.mount(scanned, REPO, layer),
                () -> registry.putManifest(scanned, "1", IMAGE, manifest),
                () -> registry.deleteManifest(scanned, "1"),
                () -> registry.deleteBlob(scanned, layer));
        for (var write : writes) {
            assertThatThrownBy(write).isInstanceOf(RegistryException.class)
                    .hasMessageContaining("push to unscanned/team/app instead")
                    .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.DENIED);
        }
        assertThat(registry.catalog(Optional.empty(), 10)).doesNotContain(scanned);
    }

    @Test
    void theGatePromotesTheSameDigestUnderTheTagWithoutCopyingAndOnlyFromUnscanned() {
        byte[] manifest = image(REPO, "layer");
        Digest digest = registry.putManifest(REPO, "1.0", IMAGE, manifest).digest();
        RepositoryName scanned = registry.promote(REPO, digest, Optional.of("1.0"));
        assertThat(scanned).isEqualTo(RepositoryName.of("scanned/team/app"));
        assertThat(registry.manifest(scanned, "1.0").digest()).isEqualTo(digest);
        assertThat(registry.manifest(scanned, "1.0").content()).isEqualTo(manifest);
        Digest layer = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.blob(scanned, layer).size()).isEqualTo(5);
        assertThatThrownBy(() -> registry.promote(REPO, Digest.sha256(new byte[3]), Optional.empty()))
                .extracting(e -> ((RegistryException) e).code()).isEqualTo(ErrorCode.MANIFEST_UNKNOWN);
        assertThatThrownBy(() -> registry.promote(RepositoryName.of("library/app"), digest, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingListenerDoesNotFailAStoredPush() {
        Registry hinted = new Registry(blobs, new JdbcMetadataStore(db, clock), clock, RegistryLimits.DEFAULTS,
                List.of((repository, manifest, tag) -> {
                    throw new IllegalStateException("listener broke");
                }));
        byte[] manifest = image(REPO, "layer");
        Registry.PutResult result = hinted.putManifest(REPO, "1", IMAGE, manifest);
        assertThat(hinted.manifest(REPO, "1").digest()).isEqualTo(result.digest());
    }
}
