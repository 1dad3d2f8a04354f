package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore store() {
        return new FileBlobStore(dir);
    }

    @Test
    void uploadResumesAfterRestartAndIsVerifiedFromTheFile() throws IOException {
        byte[] content = randomBytes(500_000, 7);
        UploadId id = UploadId.random();
        FileBlobStore first = new FileBlobStore(dir);
        first.startUpload(id);
        first.append(id, 0, new ByteArrayInputStream(content, 0, 200_000), Long.MAX_VALUE);
        // a new instance has no running hash: it must rehash the file it finds
        FileBlobStore second = new FileBlobStore(dir);
        assertThat(second.uploadedSize(id)).isEqualTo(200_000);
        second.append(id, 200_000, new ByteArrayInputStream(content, 200_000, 300_000), Long.MAX_VALUE);
        second.commit(id, Digest.sha256(content));
        assertThat(second.stat(Digest.sha256(content))).isPresent();
    }

    @Test
    void partialUploadsAreNeverInTheBlobTree() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, new ByteArrayInputStream(new byte[1000]), Long.MAX_VALUE);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("_uploads"))))
                    .isEmpty();
        }
    }

    @Test
    void aClientThatGoesAwayMidChunkLeavesExactlyWhatArrived() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = randomBytes((4 << 20) + 999, 12);
        int arrived = (3 << 20) + 123;
        UploadId id = UploadId.random();
        store.startUpload(id);
        InputStream broken = new SequenceInputStream(trickle(content, 0, arrived, 65_536), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        assertThatThrownBy(() -> store.append(id, 0, broken, Long.MAX_VALUE)).hasMessage("connection reset");
        assertThat(store.uploadedSize(id)).isEqualTo(arrived);
        store.append(id, arrived, trickle(content, arrived, content.length - arrived, 65_536), Long.MAX_VALUE);
        store.commit(id, Digest.sha256(content)); // the running hash covered exactly the bytes in the file
        assertThat(Files.readAllBytes(store.localFile(Digest.sha256(content)).orElseThrow())).isEqualTo(content);
    }

    @Test
    void theSizeLimitHitMidChunkLeavesTheUploadAsItWas() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] content = randomBytes(3 << 20, 13);
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, trickle(content, 0, 1000, 1000), Long.MAX_VALUE);
        assertThatThrownBy(() -> store.append(id, 1000, trickle(content, 1000, content.length - 1000, 65_536),
                (2 << 20) + 500)).isInstanceOf(SizeLimitException.class);
        assertThat(store.uploadedSize(id)).isEqualTo(1000);
        store.append(id, 1000, trickle(content, 1000, content.length - 1000, 65_536), Long.MAX_VALUE);
        store.commit(id, Digest.sha256(content));
        assertThat(Files.readAllBytes(store.localFile(Digest.sha256(content)).orElseThrow())).isEqualTo(content);
    }
}
