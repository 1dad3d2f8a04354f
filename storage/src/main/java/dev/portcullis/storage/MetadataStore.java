package dev.portcullis.storage;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry metadata: repositories, which blobs each repository holds, manifests and the blobs and manifests they
 * reference, tags, referrers and upload sessions. Each method is one transaction. Implementations: JDBC over
 * SQLite or PostgreSQL ({@link JdbcMetadataStore}); every dialect passes {@code MetadataStoreContract}.
 */
public interface MetadataStore {

    /** Records that {@code repository} holds {@code blob} (creating the repository on first use). */
    void linkBlob(RepositoryName repository, Digest blob, long size);

    /** The size of {@code blob} if {@code repository} holds it. */
    Optional<Long> linkedBlobSize(RepositoryName repository, Digest blob);

    boolean unlinkBlob(RepositoryName repository, Digest blob);

    /**
     * Whether any repository still holds the blob or any stored manifest refers to it (garbage collection keeps it
     * then: a manifest whose layer was unlinked can still be repaired by pushing the layer, or be scanned).
     */
    boolean isBlobInUse(Digest blob);

    /**
     * Stores a manifest, its references and optionally a tag pointing to it, in one transaction. Storing the same
     * digest twice is idempotent; a tag moves to the new digest.
     */
    default void putManifest(RepositoryName repository, StoredManifest manifest, List<Digest> blobReferences,
                             List<Digest> manifestReferences, Optional<String> tag) {
        putManifest(repository, manifest, blobReferences, manifestReferences, tag, false);
    }

    /**
     * Stores a manifest as above; with {@code queueScan}, the same transaction also writes a scan job for it (the
     * gate's outbox row, table {@code scan_jobs}), so no stored manifest can miss its scan.
     */
    void putManifest(RepositoryName repository, StoredManifest manifest, List<Digest> blobReferences,
                     List<Digest> manifestReferences, Optional<String> tag, boolean queueScan);

    /**
     * Promotion, in one transaction: the manifest {@code digest} of {@code from} appears in {@code to} (created on
     * first use) with the same bytes, its references and links to the blobs it refers to (no byte is copied); an
     * index brings its child manifests along, so {@code to} never holds an index without its platforms. With a
     * {@code tag}, the tag in {@code to} points to {@code digest} (moving from whatever it pointed to). Promoting
     * what is already there is idempotent.
     *
     * @return false when {@code from} does not hold the manifest (nothing changed)
     */
    boolean promote(RepositoryName from, Digest digest, RepositoryName to, Optional<String> tag);

    Optional<StoredManifest> manifest(RepositoryName repository, Digest digest);

    /** Whether {@code repository} holds the manifest, without reading its content (index pushes check each child). */
    boolean hasManifest(RepositoryName repository, Digest digest);

    Optional<Digest> tag(RepositoryName repository, String tag);

    /** The manifest a tag points to, in one lookup (the hot path of every pull by tag). */
    Optional<StoredManifest> taggedManifest(RepositoryName repository, String tag);

    /** Deletes a manifest and every tag pointing to it; false if there was none. */
    boolean deleteManifest(RepositoryName repository, Digest digest);

    boolean deleteTag(RepositoryName repository, String tag);

    /** Tags in lexical order, after {@code last} when given, at most {@code limit}. */
    List<String> tags(RepositoryName repository, Optional<String> last, int limit);

    boolean repositoryExists(RepositoryName repository);

    /** Repository names in lexical order, after {@code last} when given, at most {@code limit}. */
    List<RepositoryName> repositories(Optional<String> last, int limit);

    /** Manifests in {@code repository} whose subject is {@code subject}, optionally of one artifact type. */
    List<StoredManifest> referrers(RepositoryName repository, Digest subject, Optional<String> artifactType);

    void createUpload(UploadSession session);

    Optional<UploadSession> upload(String id);

    boolean deleteUpload(String id);

    /** Sessions started before {@code cutoff}: abandoned uploads to clean up. */
    List<UploadSession> uploadsStartedBefore(Instant cutoff);

    /**
     * A manifest as stored: its exact bytes (served back unchanged so the digest holds) and the facts the referrers
     * API reports without re-parsing.
     */
    record StoredManifest(Digest digest, String mediaType, byte[] content, String artifactType, Digest subject,
                          Map<String, String> annotations, Instant createdAt) {
        public StoredManifest {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }

        public long size() {
            return content.length;
        }
    }

    /** An upload in progress: which repository it is for and when it started. */
    record UploadSession(String id, RepositoryName repository, Instant startedAt) {
    }
}
