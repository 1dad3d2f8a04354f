package dev.portcullis.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.InvalidDigestException;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Manifest;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.oci.MediaType;
import dev.portcullis.oci.Namespace;
import dev.portcullis.oci.RepositoryName;
import dev.portcullis.oci.Tag;
import dev.portcullis.storage.BlobNotFoundException;
import dev.portcullis.storage.BlobStore;
import dev.portcullis.storage.BlobStore.BlobInfo;
import dev.portcullis.storage.DigestMismatchException;
import dev.portcullis.storage.MetadataStore;
import dev.portcullis.storage.MetadataStore.StoredManifest;
import dev.portcullis.storage.MetadataStore.UploadSession;
import dev.portcullis.storage.SizeLimitException;
import dev.portcullis.storage.UploadId;
import dev.portcullis.storage.UploadNotFoundException;
import dev.portcullis.storage.UploadOffsetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI Distribution semantics, independent of HTTP: uploads, blobs, manifests, tags, referrers and the catalog.
 * Every refusal is a {@link RegistryException} with the spec's error code and a detail for the user. Only the gate
 * writes {@code scanned/}, and clients write only {@code unscanned/<team>/...}: every client-facing write elsewhere is
 * {@link ErrorCode#DENIED} here, whatever the caller's credentials, and the gate has its own path, {@link #promote}.
 */
public final class Registry {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    private final BlobStore blobs;
    private final MetadataStore metadata;
    private final Clock clock;
    private final RegistryLimits limits;
    private final List<ManifestListener> listeners;
    /**
     * Read-held while a committed blob is checked and linked (or mounted), write-held while garbage collection checks
     * a blob and deletes it: a blob it found unused cannot be linked between its check and its deletion. Across nodes
     * the grace period of {@link #collectGarbage} covers it.
     */
    private final ReentrantReadWriteLock linking = new ReentrantReadWriteLock();

    public Registry(BlobStore blobs, MetadataStore metadata, Clock clock, RegistryLimits limits,
                    List<ManifestListener> listeners) {
        this.blobs = blobs;
        this.metadata = metadata;
        this.clock = clock;
        this.limits = limits;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Told about every manifest stored, after it is committed: only a hint (the gate wakes its workers). The scan job
     * itself is written in the manifest's own transaction; a listener that fails is logged and does not fail the push.
     */
    @FunctionalInterface
    public interface ManifestListener {
        void manifestPushed(RepositoryName repository, StoredManifest manifest, Optional<String> tag);
    }

    public RegistryLimits limits() {
        return limits;
    }

    // ---- names and digests from the request -------------------------------------------------------------------

    public static RepositoryName name(String text) {
        try {
            return RepositoryName.of(text);
        } catch (RepositoryName.InvalidNameException e) {
            throw new RegistryException(ErrorCode.NAME_INVALID, e.getMessage());
        }
    }

    public static Digest digest(String text) {
        try {
            return Digest.parse(text);
        } catch (InvalidDigestException e) { // also an unsupported algorithm
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        }
    }

    // ---- uploads -----------------------------------------------------------------------------------------------

    /**
     * Refuses a client's write anywhere but unscanned/: only the gate writes scanned/, through {@link #promote}, and
     * no other name belongs to a team. The server refuses these before any handler runs; this is the library's own
     * guarantee, whoever calls it.
     */
    private static void clientWrite(RepositoryName repository) {
        Namespace.writeRefusal(repository.value()).ifPresent(why -> {
            throw new RegistryException(ErrorCode.DENIED, why);
        });
    }

    public UploadId startUpload(RepositoryName repository) {
        clientWrite(repository);
        UploadId id = UploadId.random();
        try {
            blobs.startUpload(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.createUpload(new UploadSession(id.value(), repository, clock.instant()));
        return id;
    }

    private UploadId session(RepositoryName repository, String id) {
        UploadId uploadId;
        try {
            uploadId = new UploadId(id);
        } catch (UploadNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, e.getMessage());
        }
        Optional<UploadSession> session = metadata.upload(id);
        if (session.isEmpty() || !session.get().repository().equals(repository)) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " does not exist in "
                    + repository + "; it may have completed, been cancelled or expired: start a new upload");
        }
        return uploadId;
    }

    /** Bytes received so far by an upload. */
    public long uploadStatus(RepositoryName repository, String id) {
        UploadId uploadId = session(repository, id);
        try {
            return blobs.uploadedSize(uploadId);
        } catch (UploadNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends a chunk. {@code start} is the first byte of the chunk from {@code Content-Range}, when given: a chunk
     * that does not start where the upload ends is refused with 416 and the current range.
     */
    public long appendChunk(RepositoryName repository, String id, Optional<Long> start, InputStream data) {
        return append(session(repository, id), start, data);
    }

    private long append(UploadId uploadId, Optional<Long> start, InputStream data) {
        String id = uploadId.value();
        try {
            return start.isPresent() ? blobs.append(uploadId, start.get(), data, limits.maxBlobBytes())
                    : blobs.appendAtEnd(uploadId, data, limits.maxBlobBytes());
        } catch (UploadOffsetException e) {
            throw new RegistryException(ErrorCode.RANGE_INVALID, e.getMessage()
                    + " (chunks must be sent in order)", rangeHeaders(id, e.currentSize()));
        } catch (SizeLimitException e) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, e.getMessage());
        } catch (UploadNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> rangeHeaders(String id, long size) {
        return Map.of("Range", "0-" + Math.max(0, size - 1), "Docker-Upload-UUID", id);
    }

    /** Closes an upload: appends the optional final chunk, verifies the digest and links the blob. */
    public BlobInfo completeUpload(RepositoryName repository, String id, String digestParam, Optional<Long> start,
                                   InputStream finalChunk) {
        if (digestParam == null || digestParam.isEmpty()) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID,
                    "the request that closes an upload must carry ?digest=<algorithm>:<hex>");
        }
        Digest digest = digest(digestParam);
        UploadId uploadId = session(repository, id);
        append(uploadId, start, finalChunk);
        BlobInfo info;
        try {
            info = blobs.commit(uploadId, digest);
        } catch (DigestMismatchException e) {
            metadata.deleteUpload(id);
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage()
                    + "; the upload was discarded, push the blob again");
        } catch (UploadNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.deleteUpload(id);
        linkCommitted(repository, info);
        return info;
    }

    public void cancelUpload(RepositoryName repository, String id) {
        UploadId uploadId = session(repository, id);
        try {
            blobs.cancel(uploadId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        metadata.deleteUpload(id);
    }

    /**
     * Discards upload sessions started more than {@code maxAge} ago (clients that went away for good), and upload
     * bytes idle that long that belong to no session.
     *
     * @return how many were discarded
     */
    public int expireUploads(java.time.Duration maxAge) {
        java.time.Instant cutoff = clock.instant().minus(maxAge);
        int n = 0;
        try {
            for (UploadSession s : metadata.uploadsStartedBefore(cutoff)) {
                blobs.cancel(new UploadId(s.id()));
                metadata.deleteUpload(s.id());
                n++;
            }
            // Bytes without a session: the temporary upload of a monolithic put that a crash interrupted.
            for (UploadId id : blobs.uploadsIdleSince(cutoff)) {
                if (metadata.upload(id.value()).isEmpty() && blobs.cancel(id)) {
                    n++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** A whole blob in one request ({@code POST ?digest=}). */
    public BlobInfo putBlob(RepositoryName repository, String digestParam, InputStream data) {
        clientWrite(repository);
        Digest digest = digest(digestParam);
        BlobInfo info;
        try {
            info = blobs.put(digest, data, limits.maxBlobBytes());
        } catch (DigestMismatchException e) {
            throw new RegistryException(ErrorCode.DIGEST_INVALID, e.getMessage());
        } catch (SizeLimitException e) {
            throw new RegistryException(ErrorCode.SIZE_INVALID, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        linkCommitted(repository, info);
        return info;
    }

    /**
     * Links a blob just committed. Garbage collection may have removed it in between (only when run with no grace
     * period); then the push is refused rather than a link left without bytes.
     */
    private void linkCommitted(RepositoryName repository, BlobInfo info) {
        linking.readLock().lock();
        try {
            if (blobs.stat(info.digest()).isEmpty()) {
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "garbage collection removed blob "
                        + info.digest() + " while it was being pushed; push it again");
            }
            metadata.linkBlob(repository, info.digest(), info.size());
        } finally {
            linking.readLock().unlock();
        }
    }

    /**
     * Cross-repository mount: links a blob {@code from} holds into {@code repository} without copying it. Empty when
     * the source does not hold it (the client then uploads normally).
     */
    public Optional<BlobInfo> mount(RepositoryName repository, RepositoryName from, Digest digest) {
        clientWrite(repository);
        linking.readLock().lock();
        try {
            Optional<Long> size = metadata.linkedBlobSize(from, digest);
            if (size.isEmpty() || blobs.stat(digest).isEmpty()) {
                return Optional.empty();
            }
            metadata.linkBlob(repository, digest, size.get());
            return Optional.of(new BlobInfo(digest, size.get()));
        } finally {
            linking.readLock().unlock();
        }
    }

    /** What a garbage collection found: blobs old enough to look at, and those nothing links that it removed. */
    public record GarbageReport(int examined, int removed, long bytesRemoved, boolean dryRun) {
    }

    /**
     * Removes the bytes of blobs that no repository links and no stored manifest refers to (deleted blobs, abandoned
     * uploads), written more than {@code grace} ago. The grace period protects uploads finishing on other nodes,
     * which commit a blob before they link it; on this node a push that loses its blob to the collection between the
     * two is refused (see linkCommitted). With {@code dryRun}, reports what it would remove and removes nothing.
     */
    public GarbageReport collectGarbage(java.time.Duration grace, boolean dryRun) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative");
        }
        List<BlobInfo> unlinked = new ArrayList<>();
        int[] examined = {0};
        try {
            blobs.forEach(clock.instant().minus(grace), b -> {
                examined[0]++;
                if (!metadata.isBlobInUse(b.digest())) {
                    unlinked.add(b);
                }
            });
            int removed = 0;
            long bytes = 0;
            for (BlobInfo b : unlinked) {
                linking.writeLock().lock();
                try {
                    // Checked again under the lock: an upload or a mount may have linked it since the scan.
                    if (!metadata.isBlobInUse(b.digest()) && (dryRun || blobs.delete(b.digest()))) {
                        removed++;
                        bytes += b.size();
                    }
                } finally {
                    linking.writeLock().unlock();
                }
            }
            return new GarbageReport(examined[0], removed, bytes, dryRun);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- blobs -------------------------------------------------------------------------------------------------

    public BlobInfo blob(RepositoryName repository, Digest digest) {
        Optional<Long> size = metadata.linkedBlobSize(repository, digest);
        Optional<BlobInfo> stored = size.isPresent() ? blobs.stat(digest) : Optional.empty();
        if (stored.isEmpty()) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + repository);
        }
        return stored.get();
    }

    public InputStream openBlob(Digest digest, long offset, long length) {
        try {
            return blobs.open(digest, offset, length);
        } catch (BlobNotFoundException e) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Path> blobFile(Digest digest) {
        return blobs.localFile(digest);
    }

    /** Removes the blob from the repository; the bytes go when garbage collection finds nothing links them. */
    public void deleteBlob(RepositoryName repository, Digest digest) {
        clientWrite(repository);
        if (!metadata.unlinkBlob(repository, digest)) {
            throw new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + repository);
        }
    }

    // ---- manifests ---------------------------------------------------------------------------------------------

    /** Result of a manifest push: its digest, and its subject when it declares one. */
    public record PutResult(Digest digest, Optional<Digest> subject) {
    }

    public PutResult putManifest(RepositoryName repository, String reference, String contentType, byte[] content) {
        clientWrite(repository);
        if (content.length > limits.maxManifestBytes()) {
            throw new RegistryException(ErrorCode.MANIFEST_TOO_BIG, "manifest is " + content.length
                    + " bytes; the limit is " + limits.maxManifestBytes() + " bytes");
        }
        Optional<String> tag = Optional.empty();
        Digest digest;
        if (reference.indexOf(':') >= 0) {
            Digest claimed = digest(reference);
            digest = Digest.compute(claimed.algorithm(), content);
            if (!digest.equals(claimed)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, "manifest content has digest " + digest
                        + ", not " + claimed + " as the URL says");
            }
        } else {
            tag = Optional.of(tag(reference));
            digest = Digest.sha256(content);
        }
        Manifest manifest;
        try {
            manifest = ManifestParser.parse(content, contentType);
        } catch (ManifestParser.InvalidManifestException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
        List<Digest> blobRefs = new ArrayList<>();
        List<Digest> manifestRefs = new ArrayList<>();
        switch (manifest) {
            case Manifest.Image image -> {
                for (Descriptor d : image.references()) {
                    // Foreign layers (with urls) live outside the registry by definition.
                    if (d.urls().isEmpty() && metadata.linkedBlobSize(repository, d.digest()).isEmpty()) {
                        throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "blob " + d.digest() + " ("
                                + d.mediaType() + ") is not in " + repository + ": push it before the manifest");
                    }
                    blobRefs.add(d.digest());
                }
            }
            case Manifest.Index index -> {
                for (Descriptor d : index.manifests()) {
                    if (MediaType.isManifest(d.mediaType()) && !metadata.hasManifest(repository, d.digest())) {
                        throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, "manifest " + d.digest()
                                + " listed in the index is not in " + repository + ": push it before the index");
                    }
                    manifestRefs.add(d.digest());
                }
            }
        }
        String artifactType = switch (manifest) {
            case Manifest.Image image -> image.effectiveArtifactType();
            case Manifest.Index index -> index.artifactType();
        };
        Digest subject = manifest.subject().map(Descriptor::digest).orElse(null);
        StoredManifest stored = new StoredManifest(digest, manifest.mediaType(), content, artifactType, subject,
                manifest.annotations(), clock.instant());
        metadata.putManifest(repository, stored, blobRefs, manifestRefs, tag, needsScan(repository, manifest));
        for (ManifestListener l : listeners) {
            try {
                l.manifestPushed(repository, stored, tag);
            } catch (RuntimeException e) {
                // the push is stored and its scan job with it: a failed hint only delays the scan to the next poll
                LOG.atWarn().setCause(e).addKeyValue("repository", repository).addKeyValue("digest", digest)
                        .log("a manifest listener failed; the push stands");
            }
        }
        return new PutResult(digest, Optional.ofNullable(subject));
    }

    /**
     * Whether a manifest gets a scan job: an image or an index of images pushed to unscanned/. Artifacts attached to
     * an image (a subject: signatures, SBOMs, the gate's own reports) and non-image artifacts are not images to gate.
     */
    private static boolean needsScan(RepositoryName repository, Manifest manifest) {
        if (Namespace.of(repository).kind() != Namespace.Kind.UNSCANNED || manifest.subject().isPresent()) {
            return false;
        }
        return switch (manifest) {
            case Manifest.Image image -> MediaType.OCI_CONFIG.equals(image.effectiveArtifactType())
                    || MediaType.DOCKER_CONFIG.equals(image.effectiveArtifactType());
            case Manifest.Index index -> index.artifactType() == null;
        };
    }

    /**
     * The gate's path into scanned/: the manifest {@code digest} of {@code from} (in unscanned/) appears under the
     * same digest, and {@code tag} when given, in the matching scanned/ repository, with its platforms when it is an
     * index and without copying a byte (one transaction: {@link MetadataStore#promote}). Not reachable from the HTTP
     * API.
     *
     * @return the scanned/ repository
     */
    public RepositoryName promote(RepositoryName from, Digest digest, Optional<String> tag) {
        RepositoryName to = Namespace.scannedOf(from);
        if (!metadata.promote(from, digest, to, tag)) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + digest + " is not in " + from);
        }
        return to;
    }

    /** The stored manifest {@code digest} of {@code repository}, if it holds it (the gate reads images so). */
    public Optional<StoredManifest> findManifest(RepositoryName repository, Digest digest) {
        return metadata.manifest(repository, digest);
    }

    /** The digest {@code tag} points to in {@code repository} (empty for an unknown or invalid tag). */
    public Optional<Digest> taggedDigest(RepositoryName repository, String tag) {
        try {
            return metadata.tag(repository, new Tag(tag).value());
        } catch (Tag.InvalidTagException e) {
            return Optional.empty();
        }
    }

    /** The tags of {@code repository} pointing to {@code digest} now. */
    public List<String> tagsOf(RepositoryName repository, Digest digest) {
        return metadata.tagsOf(repository, digest);
    }

    /**
     * The whole blob {@code digest} from the store, for the gate's scans (no repository check: the gate reads what a
     * stored manifest names).
     */
    public InputStream openWholeBlob(Digest digest) throws IOException {
        BlobInfo info = blobs.stat(digest).orElseThrow(() -> new BlobNotFoundException("blob " + digest
                + " is not in the store"));
        return blobs.open(digest, 0, info.size());
    }

    /**
     * The gate's way back out of scanned/: the promoted manifest {@code digest} of {@code from}'s scanned/ twin and
     * its tags go (an image whose break-glass or exception expired is judged again and failed). The blobs stay linked
     * until garbage collection finds nothing uses them.
     *
     * @return whether scanned/ held it
     */
    public boolean demote(RepositoryName from, Digest digest) {
        return metadata.deleteManifest(Namespace.scannedOf(from), digest);
    }

    private static String tag(String reference) {
        try {
            return new Tag(reference).value();
        } catch (Tag.InvalidTagException e) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, e.getMessage());
        }
    }

    /**
     * The manifest a tag or digest names. A reference that is neither a valid tag nor a digest names no manifest:
     * it is unknown (404), as the conformance suite expects; invalid (400) is what a push to it is.
     */
    public StoredManifest manifest(RepositoryName repository, String reference) {
        Optional<StoredManifest> found;
        if (reference.indexOf(':') >= 0) {
            found = parseDigest(reference).flatMap(d -> metadata.manifest(repository, d));
        } else {
            found = Tag.isValid(reference) ? metadata.taggedManifest(repository, reference) : Optional.empty();
        }
        return found.orElseThrow(() -> unknownManifest(repository, reference));
    }

    private static Optional<Digest> parseDigest(String reference) {
        try {
            return Optional.of(Digest.parse(reference));
        } catch (InvalidDigestException e) { // also an unsupported algorithm
            return Optional.empty();
        }
    }

    private RegistryException unknownManifest(RepositoryName repository, String reference) {
        if (!metadata.repositoryExists(repository)) {
            return new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository + " does not exist");
        }
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in " + repository);
    }

    /** Deletes a tag (by tag) or a manifest and all its tags (by digest). */
    public void deleteManifest(RepositoryName repository, String reference) {
        clientWrite(repository);
        boolean deleted = reference.indexOf(':') >= 0
                ? metadata.deleteManifest(repository, digest(reference))
                : metadata.deleteTag(repository, tag(reference));
        if (!deleted) {
            throw unknownManifest(repository, reference);
        }
    }

    // ---- discovery ---------------------------------------------------------------------------------------------

    public List<String> tags(RepositoryName repository, Optional<String> last, int n) {
        if (!metadata.repositoryExists(repository)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository + " does not exist");
        }
        return metadata.tags(repository, last, Math.min(n, limits.maxPageSize()));
    }

    public List<RepositoryName> catalog(Optional<String> last, int n) {
        return metadata.repositories(last, Math.min(n, limits.maxPageSize()));
    }

    /** The referrers of {@code subject} as an OCI image index, optionally filtered by artifact type. */
    public byte[] referrers(RepositoryName repository, Digest subject, Optional<String> artifactType) {
        ObjectNode index = Json.object();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (StoredManifest m : metadata.referrers(repository, subject, artifactType)) {
            ObjectNode d = manifests.addObject();
            d.put("mediaType", m.mediaType());
            d.put("digest", m.digest().toString());
            d.put("size", m.size());
            if (m.artifactType() != null) {
                d.put("artifactType", m.artifactType());
            }
            if (!m.annotations().isEmpty()) {
                ObjectNode a = d.putObject("annotations");
                m.annotations().forEach(a::put);
            }
        }
        return Json.write(index);
    }
}
