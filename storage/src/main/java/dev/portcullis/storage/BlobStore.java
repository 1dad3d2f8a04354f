package dev.portcullis.storage;

import dev.portcullis.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Content-addressed blob storage. A blob becomes visible only once all its bytes are durable and verified against
 * its digest; an upload in progress is never visible as a blob, whatever instant the process dies at.
 * Implementations: the local filesystem ({@link FileBlobStore}) and S3-compatible object storage. Every
 * implementation passes {@code BlobStoreContract}.
 */
public interface BlobStore {

    Optional<BlobInfo> stat(Digest digest);

    /** Reads {@code length} bytes starting at {@code offset}; throws {@link BlobNotFoundException}. */
    InputStream open(Digest digest, long offset, long length) throws IOException;

    /** A local file holding the blob, when the store has one: lets the HTTP layer serve it without copying. */
    Optional<Path> localFile(Digest digest);

    /** Removes a blob; returns false if it did not exist. Callers ensure nothing references it any more. */
    boolean delete(Digest digest) throws IOException;

    /**
     * Visits every stored blob last written before {@code writtenBefore} (garbage collection: younger blobs may be
     * about to be linked by an upload finishing on another node). Committing a blob that already exists counts as
     * writing it.
     */
    void forEach(Instant writtenBefore, Consumer<BlobInfo> visitor) throws IOException;

    /** Starts an empty upload session with a caller-chosen, already validated id. */
    void startUpload(UploadId id) throws IOException;

    /** Bytes received so far; throws {@link UploadNotFoundException}. */
    long uploadedSize(UploadId id) throws IOException;

    /**
     * Appends a chunk. The chunk must start exactly at the current end of the upload (chunks are ordered);
     * otherwise {@link UploadOffsetException}. The whole upload may not exceed {@code maxBytes}
     * ({@link SizeLimitException}; the chunk is then discarded).
     *
     * @return the new size of the upload
     */
    long append(UploadId id, long offset, InputStream data, long maxBytes) throws IOException;

    /** Appends a chunk wherever the upload ends now (a chunk sent without Content-Range); see {@link #append}. */
    long appendAtEnd(UploadId id, InputStream data, long maxBytes) throws IOException;

    /**
     * Verifies the upload against {@code expected} and makes it visible as a blob; the session is gone afterwards.
     * On mismatch, throws {@link DigestMismatchException} and discards the session.
     */
    BlobInfo commit(UploadId id, Digest expected) throws IOException;

    /**
     * Uploads whose last byte arrived before {@code cutoff}. Used to remove what a crash left behind, including the
     * temporary upload of a monolithic put, which has no session in the metadata store.
     */
    List<UploadId> uploadsIdleSince(Instant cutoff) throws IOException;

    /** Discards an upload session; returns false if it did not exist. */
    boolean cancel(UploadId id) throws IOException;

    /** Monolithic write of a whole blob: upload, verify, publish. */
    default BlobInfo put(Digest expected, InputStream data, long maxBytes) throws IOException {
        UploadId id = UploadId.random();
        startUpload(id);
        try {
            append(id, 0, data, maxBytes);
            return commit(id, expected);
        } catch (IOException | RuntimeException e) {
            cancel(id);
            throw e;
        }
    }

    /** A stored blob. */
    record BlobInfo(Digest digest, long size) {
    }
}
