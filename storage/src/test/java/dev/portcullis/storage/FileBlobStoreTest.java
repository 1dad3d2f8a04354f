package dev.portcullis.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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
        int arrived = (3 << 20) + 123; // part of it still staged, not yet written, when the connection breaks
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
    void theSizeLimitHitWhileBytesAreStagedLeavesTheUploadAsItWas() throws IOException {
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

    /**
     * Blob files are written in aligned 2 MiB pieces whatever the sizes of the reads that bring them, so that the
     * page cache holds them in huge folios and a mapping of them needs one page-table entry per 2 MiB. Where the
     * kernel and filesystem cannot do that for any file (no large folios), there is nothing to check.
     */
    @Test
    void blobFilesAreMappedWithHugePagesWhereTheSystemCan() throws IOException {
        int size = 8 << 20;
        Path probe = dir.resolve("probe");
        try (FileChannel out = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < size >> 21; i++) {
                out.write(ByteBuffer.allocateDirect(2 << 20));
            }
        }
        assumeTrue(hugeMappedBytes(probe) > 0, "this kernel and filesystem do not map file pages with huge pages"
                + " even for a file written in aligned 2 MiB pieces (needs large folios: ext4 on Linux 6.16+, XFS)");

        // The control: the same bytes written as they arrive from a socket are mapped with small pages only.
        byte[] content = randomBytes(size, 14);
        Path control = dir.resolve("control");
        try (FileChannel out = FileChannel.open(control, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int at = 0; at < size; at += 100_003) {
                out.write(ByteBuffer.wrap(content, at, Math.min(100_003, size - at)));
            }
        }
        assertThat(hugeMappedBytes(control)).isZero();

        FileBlobStore store = new FileBlobStore(dir);
        UploadId id = UploadId.random();
        store.startUpload(id);
        store.append(id, 0, trickle(content, 0, 3_000_017, 100_003), Long.MAX_VALUE);
        store.append(id, 3_000_017, trickle(content, 3_000_017, size - 3_000_017, 100_003), Long.MAX_VALUE);
        store.commit(id, Digest.sha256(content));
        Path blob = store.localFile(Digest.sha256(content)).orElseThrow();
        // The 2 MiB piece around the chunk boundary is written in two parts; the others are whole. A huge folio may
        // also be refused when memory is fragmented, so ask for half rather than all.
        assertThat(hugeMappedBytes(blob)).isGreaterThanOrEqualTo(size / 2);
    }

    /** Bytes of {@code file} that a fresh read-only mapping of it maps with huge pages, from /proc/self/smaps. */
    private static long hugeMappedBytes(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long sum = 0;
            for (long at = 0; at < mapping.byteSize(); at += 4096) {
                sum += mapping.get(ValueLayout.JAVA_BYTE, at); // fault every page in
            }
            assertThat(sum).isNotNull();
            List<String> smaps = Files.readAllLines(Path.of("/proc/self/smaps"));
            String name = file.toRealPath().toString();
            long total = 0;
            for (int i = 0; i < smaps.size(); i++) {
                if (smaps.get(i).endsWith(" " + name)) {
                    for (int j = i + 1; j < smaps.size() && !smaps.get(j).startsWith("VmFlags"); j++) {
                        if (smaps.get(j).startsWith("FilePmdMapped:")) {
                            total += Long.parseLong(smaps.get(j).replaceAll("[^0-9]", "")) * 1024;
                        }
                    }
                }
            }
            return total;
        }
    }
}
