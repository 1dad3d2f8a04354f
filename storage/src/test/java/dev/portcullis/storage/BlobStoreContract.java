package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} must do. Implementations extend this and provide a fresh, empty store. */
public abstract class BlobStoreContract {

    protected abstract BlobStore store() throws IOException;

    protected static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    @Test
    void putThenReadBackWholeAndRange() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes(1_000_000, 1);
        Digest d = Digest.sha256(content);
        assertThat(store.stat(d)).isEmpty();
        assertThat(store.put(d, in(content), Long.MAX_VALUE)).isEqualTo(new BlobStore.BlobInfo(d, content.length));
        assertThat(store.stat(d)).contains(new BlobStore.BlobInfo(d, content.length));
        try (InputStream all = store.open(d, 0, content.length)) {
            assertThat(all.readAllBytes()).isEqualTo(content);
        }
        try (InputStream part = store.open(d, 10, 100)) {
            assertThat(part.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 10, 110));
        }
    }

    @Test
    void wrongDigestIsRejectedAndNothingBecomesVisible() throws IOException {
        BlobStore store = store();
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.put(other, in(content), Long.MAX_VALUE))
                .isInstanceOf(DigestMismatchException.class);
        assertThat(store.stat(other)).isEmpty();
        assertThat(store.stat(Digest.sha256(content))).isEmpty();
    }

    @Test
    void sha512IsVerified() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes(70_000, 2);
        Digest d = Digest.compute(Digest.Algorithm.SHA512, content);
        store.put(d, in(content), Long.MAX_VALUE);
        assertThat(store.stat(d)).isPresent();
    }

    @Test
    void chunkedUploadInOrderAndOutOfOrder() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes(300_000, 3);
        UploadId id = UploadId.random();
        store.startUpload(id);
        assertThat(store.uploadedSize(id)).isZero();
        assertThat(store.append(id, 0, in(java.util.Arrays.copyOfRange(content, 0, 100_000)), Long.MAX_VALUE))
                .isEqualTo(100_000);
        assertThatThrownBy(() -> store.append(id, 50_000, in(new byte[10]), Long.MAX_VALUE))
                .isInstanceOfSatisfying(UploadOffsetException.class, e -> assertThat(e.currentSize()).isEqualTo(100_000));
        store.append(id, 100_000, in(java.util.Arrays.copyOfRange(content, 100_000, content.length)), Long.MAX_VALUE);
        assertThat(store.uploadedSize(id)).isEqualTo(content.length);
        Digest d = Digest.sha256(content);
        assertThat(store.stat(d)).isEmpty();
        store.commit(id, d);
        assertThat(store.stat(d)).isPresent();
        assertThatThrownBy(() -> store.uploadedSize(id)).isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void chunksOfAnySizeAcrossMegabyteBoundariesKeepEveryByte() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes((5 << 20) + 12_345, 11);
        UploadId id = UploadId.random();
        store.startUpload(id);
        int[] chunks = {1, (2 << 20) - 1, (3 << 20) + 5, 7};
        int at = 0;
        for (int chunk : chunks) {
            store.append(id, at, trickle(content, at, chunk, 100_003), Long.MAX_VALUE);
            at += chunk;
        }
        store.append(id, at, trickle(content, at, content.length - at, 100_003), Long.MAX_VALUE);
        Digest digest = Digest.sha256(content);
        store.commit(id, digest);
        try (InputStream all = store.open(digest, 0, content.length)) {
            assertThat(all.readAllBytes()).isEqualTo(content);
        }
    }

    /** {@code length} bytes of {@code b} from {@code from}, handed out at most {@code step} per read like a socket. */
    protected static InputStream trickle(byte[] b, int from, int length, int step) {
        ByteArrayInputStream all = new ByteArrayInputStream(b, from, length);
        return new InputStream() { // InputStream's own readNBytes loops over read, as it must for a socket
            @Override
            public int read() {
                return all.read();
            }

            @Override
            public int read(byte[] into, int off, int len) {
                return all.read(into, off, Math.min(len, step));
            }
        };
    }

    @Test
    void aChunkWithoutAPositionGoesAtTheEnd() throws IOException {
        BlobStore store = store();
        byte[] content = randomBytes(3000, 23);
        UploadId id = UploadId.random();
        store.startUpload(id);
        assertThat(store.appendAtEnd(id, new ByteArrayInputStream(content, 0, 1000), 10_000)).isEqualTo(1000);
        assertThat(store.appendAtEnd(id, new ByteArrayInputStream(content, 1000, 2000), 10_000)).isEqualTo(3000);
        assertThatThrownBy(() -> store.appendAtEnd(id, in(new byte[8000]), 10_000))
                .isInstanceOf(SizeLimitException.class);
        assertThat(store.uploadedSize(id)).isEqualTo(3000);
        store.commit(id, Digest.sha256(content));
        try (InputStream all = store.open(Digest.sha256(content), 0, content.length)) {
            assertThat(all.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void sizeLimitLeavesUploadAsItWas() throws IOException {
        BlobStore store = store();
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, in(new byte[10]), 100);
        assertThatThrownBy(() -> store.append(id, 10, in(new byte[200]), 100)).isInstanceOf(SizeLimitException.class);
        assertThat(store.uploadedSize(id)).isEqualTo(10);
    }

    @Test
    void cancelAndUnknownUploads() throws IOException {
        BlobStore store = store();
        UploadId id = UploadId.random();
        store.startUpload(id);
        assertThat(store.cancel(id)).isTrue();
        assertThat(store.cancel(id)).isFalse();
        assertThatThrownBy(() -> store.append(id, 0, in(new byte[1]), 10)).isInstanceOf(UploadNotFoundException.class);
        assertThatThrownBy(() -> store.commit(UploadId.random(), Digest.sha256(new byte[0])))
                .isInstanceOf(UploadNotFoundException.class);
    }

    @Test
    void idleUploadsAreListedForCleanup() throws IOException {
        BlobStore store = store();
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, in(new byte[5]), 100);
        java.time.Instant future = java.time.Instant.now().plusSeconds(60);
        assertThat(store.uploadsIdleSince(future)).containsExactly(id);
        assertThat(store.uploadsIdleSince(java.time.Instant.now().minusSeconds(3600))).isEmpty();
        store.cancel(id);
        assertThat(store.uploadsIdleSince(future)).isEmpty();
    }

    @Test
    void listingForGarbageCollectionLeavesOutBlobsWrittenSinceTheCutoff() throws Exception {
        BlobStore store = store();
        byte[] old = randomBytes(10, 21);
        byte[] young = randomBytes(10, 22);
        store.put(Digest.sha256(old), in(old), 100);
        Thread.sleep(1100); // object stores keep whole seconds
        java.time.Instant cutoff = java.time.Instant.now();
        Thread.sleep(1100);
        store.put(Digest.sha256(young), in(young), 100);
        List<BlobStore.BlobInfo> before = new ArrayList<>();
        store.forEach(cutoff, before::add);
        assertThat(before).containsExactly(new BlobStore.BlobInfo(Digest.sha256(old), 10));
        // Uploading a blob that exists makes it young again: an upload on another node is about to link it.
        store.put(Digest.sha256(old), in(old), 100);
        List<BlobStore.BlobInfo> after = new ArrayList<>();
        store.forEach(cutoff, after::add);
        assertThat(after).isEmpty();
    }

    @Test
    void deleteAndList() throws IOException {
        BlobStore store = store();
        byte[] a = randomBytes(10, 4);
        byte[] b = randomBytes(20, 5);
        store.put(Digest.sha256(a), in(a), 100);
        store.put(Digest.sha256(b), in(b), 100);
        List<BlobStore.BlobInfo> all = new ArrayList<>();
        store.forEach(java.time.Instant.now().plusSeconds(60), all::add);
        assertThat(all).containsExactlyInAnyOrder(new BlobStore.BlobInfo(Digest.sha256(a), 10),
                new BlobStore.BlobInfo(Digest.sha256(b), 20));
        assertThat(store.delete(Digest.sha256(a))).isTrue();
        assertThat(store.delete(Digest.sha256(a))).isFalse();
        assertThat(store.stat(Digest.sha256(a))).isEmpty();
        assertThatThrownBy(() -> store.open(Digest.sha256(a), 0, 1)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void samePutTwiceIsIdempotent() throws IOException {
        BlobStore store = store();
        byte[] a = randomBytes(1000, 6);
        store.put(Digest.sha256(a), in(a), 10_000);
        store.put(Digest.sha256(a), in(a), 10_000);
        try (InputStream s = store.open(Digest.sha256(a), 0, 1000)) {
            assertThat(s.readAllBytes()).isEqualTo(a);
        }
    }
}
