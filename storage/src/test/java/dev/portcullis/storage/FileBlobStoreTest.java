package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
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
}
