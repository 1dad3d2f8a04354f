package dev.portcullis.storage;

import dev.portcullis.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in S3-compatible object storage, for stateless nodes. Keys: {@code blobs/<algorithm>/<hex>} for blobs,
 * {@code uploads/<uuid>/<offset>} for the chunks of an upload in progress (any node can continue it).
 *
 * <p>A blob is written with a multipart upload to its final key while its digest is computed; the multipart upload is
 * completed only when the digest matches and aborted otherwise. Object storage makes the object visible atomically on
 * completion, so a crash at any instant leaves no partial blob.
 */
public final class S3BlobStore implements BlobStore {
    /** S3's minimum part size (except the last part). */
    private static final int PART_SIZE = 8 * 1024 * 1024;
    private static final String START_MARKER = "started";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** Connection settings; {@code endpoint} is null for AWS itself, set for MinIO, Ceph, s3proxy and the like. */
    public record Settings(URI endpoint, String region, String bucket, String prefix, String accessKey,
                           String secretKey, boolean pathStyle) {
        public Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("S3 bucket must be set");
            }
            prefix = prefix == null ? "" : prefix;
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
        }

        @Override
        public String toString() {
            // never print the secret key
            return "S3 " + (endpoint == null ? "aws" : endpoint) + " bucket=" + bucket + " prefix=" + prefix;
        }
    }

    public S3BlobStore(Settings settings) {
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region() == null ? "us-east-1" : settings.region()))
                .forcePathStyle(settings.pathStyle());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        if (settings.accessKey() != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())));
        }
        this.s3 = builder.build();
        this.bucket = settings.bucket();
        this.prefix = settings.prefix();
    }

    private String blobKey(Digest digest) {
        return prefix + "blobs/" + digest.algorithm().id() + "/" + digest.encoded();
    }

    private String uploadPrefix(UploadId id) {
        return prefix + "uploads/" + id.value() + "/";
    }

    private static String chunkName(long offset) {
        return String.format("%020d", offset);
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(blobKey(digest)));
            return Optional.of(new BlobInfo(digest, head.contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new StorageException("cannot stat blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) {
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(b -> b.bucket(bucket).key(blobKey(digest))
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new BlobNotFoundException("blob " + digest + " is not stored");
        }
    }

    @Override
    public Optional<java.nio.file.Path> localFile(Digest digest) {
        return Optional.empty();
    }

    @Override
    public boolean delete(Digest digest) {
        if (stat(digest).isEmpty()) {
            return false;
        }
        s3.deleteObject(b -> b.bucket(bucket).key(blobKey(digest)));
        return true;
    }

    @Override
    public void forEach(java.time.Instant writtenBefore, Consumer<BlobInfo> visitor) {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            String p = prefix + "blobs/" + algorithm.id() + "/";
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
                String hex = o.key().substring(p.length());
                // Every commit completes a new multipart upload, so an existing blob written again is young again.
                if (hex.length() == algorithm.hexLength() && o.lastModified().isBefore(writtenBefore)) {
                    visitor.accept(new BlobInfo(new Digest(algorithm, hex), o.size()));
                }
            }
        }
    }

    /** The chunks of an upload in offset order (the start marker excluded). */
    private List<S3Object> chunks(UploadId id) {
        String p = uploadPrefix(id);
        List<S3Object> out = new ArrayList<>();
        boolean started = false;
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
            String name = o.key().substring(p.length());
            if (name.equals(START_MARKER)) {
                started = true;
            } else {
                out.add(o);
            }
        }
        if (!started) {
            throw new UploadNotFoundException("upload " + id + " does not exist");
        }
        out.sort(java.util.Comparator.comparing(S3Object::key));
        return out;
    }

    private static long sizeOf(List<S3Object> chunks) {
        return chunks.stream().mapToLong(S3Object::size).sum();
    }

    @Override
    public void startUpload(UploadId id) {
        s3.putObject(b -> b.bucket(bucket).key(uploadPrefix(id) + START_MARKER), RequestBody.empty());
    }

    @Override
    public long uploadedSize(UploadId id) {
        return sizeOf(chunks(id));
    }

    @Override
    public long append(UploadId id, long offset, InputStream data, long maxBytes) throws IOException {
        long size = uploadedSize(id);
        if (size != offset) {
            throw new UploadOffsetException("chunk starts at byte " + offset + " but the upload has " + size
                    + " bytes; send the chunk that starts at byte " + size, size);
        }
        return appendAt(id, size, data, maxBytes);
    }

    @Override
    public long appendAtEnd(UploadId id, InputStream data, long maxBytes) throws IOException {
        return appendAt(id, uploadedSize(id), data, maxBytes); // one listing of the chunks, not two
    }

    private long appendAt(UploadId id, long offset, InputStream data, long maxBytes) throws IOException {
        // A chunk is stored as one object, written in parts of PART_SIZE when it is large.
        long written = 0;
        byte[] buffer = new byte[PART_SIZE];
        List<String> keys = new ArrayList<>();
        while (true) {
            int n = data.readNBytes(buffer, 0, buffer.length);
            if (n == 0) {
                break;
            }
            if (offset + written + n > maxBytes) {
                for (String k : keys) {
                    s3.deleteObject(b -> b.bucket(bucket).key(k));
                }
                throw new SizeLimitException("the upload exceeds the limit of " + maxBytes + " bytes");
            }
            String key = uploadPrefix(id) + chunkName(offset + written);
            keys.add(key);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, n)));
            written += n;
            if (n < buffer.length) {
                break;
            }
        }
        return offset + written;
    }

    @Override
    public BlobInfo commit(UploadId id, Digest expected) throws IOException {
        List<S3Object> chunks = chunks(id);
        List<InputStream> streams = new ArrayList<>();
        for (S3Object chunk : chunks) {
            streams.add(new LazyObjectStream(chunk.key()));
        }
        Enumeration<InputStream> e = Collections.enumeration(streams);
        try (InputStream all = new SequenceInputStream(e)) {
            return publish(expected, all);
        } finally {
            deleteUpload(id, chunks);
        }
    }

    @Override
    public List<UploadId> uploadsIdleSince(java.time.Instant cutoff) {
        String p = prefix + "uploads/";
        java.util.Map<String, java.time.Instant> lastWrite = new java.util.HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(p)).contents()) {
            String rest = o.key().substring(p.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                lastWrite.merge(rest.substring(0, slash), o.lastModified(),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        List<UploadId> idle = new ArrayList<>();
        lastWrite.forEach((id, at) -> {
            if (at.isBefore(cutoff)) {
                try {
                    idle.add(new UploadId(id));
                } catch (UploadNotFoundException notOurs) {
                    // a key this store did not create
                }
            }
        });
        return idle;
    }

    @Override
    public boolean cancel(UploadId id) {
        List<S3Object> chunks;
        try {
            chunks = chunks(id);
        } catch (UploadNotFoundException e) {
            return false;
        }
        deleteUpload(id, chunks);
        return true;
    }

    private void deleteUpload(UploadId id, List<S3Object> chunks) {
        for (S3Object c : chunks) {
            s3.deleteObject(b -> b.bucket(bucket).key(c.key()));
        }
        s3.deleteObject(b -> b.bucket(bucket).key(uploadPrefix(id) + START_MARKER));
    }

    @Override
    public BlobInfo put(Digest expected, InputStream data, long maxBytes) throws IOException {
        return publish(expected, new CountingLimit(data, maxBytes));
    }

    /**
     * Streams {@code data} into a multipart upload to the blob's key while hashing it; completes the multipart upload
     * (making the blob visible) only when the digest matches.
     */
    private BlobInfo publish(Digest expected, InputStream data) throws IOException {
        String key = blobKey(expected);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        boolean completed = false;
        try {
            MessageDigest md = expected.algorithm().newMessageDigest();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[PART_SIZE];
            long size = 0;
            int partNumber = 1;
            while (true) {
                int n = data.readNBytes(buffer, 0, buffer.length);
                if (n == 0 && partNumber > 1) {
                    break;
                }
                md.update(buffer, 0, n);
                size += n;
                int number = partNumber++;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, n))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                if (n < buffer.length) {
                    break;
                }
            }
            Digest actual = Digest.of(expected.algorithm(), md.digest());
            if (!actual.equals(expected)) {
                throw new DigestMismatchException("uploaded content has digest " + actual + ", not " + expected);
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            completed = true;
            return new BlobInfo(expected, size);
        } finally {
            if (!completed) {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            }
        }
    }

    /** Opens an object only when first read, so a long upload does not hold many connections open. */
    private final class LazyObjectStream extends InputStream {
        private final String key;
        private InputStream in;

        LazyObjectStream(String key) {
            this.key = key;
        }

        private InputStream in() {
            if (in == null) {
                in = s3.getObject(b -> b.bucket(bucket).key(key));
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }

    /** Fails once more than {@code limit} bytes have been read. */
    private static final class CountingLimit extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        CountingLimit(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > limit) {
                throw new SizeLimitException("the upload exceeds the limit of " + limit + " bytes");
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0 && (count += n) > limit) {
                throw new SizeLimitException("the upload exceeds the limit of " + limit + " bytes");
            }
            return n;
        }
    }
}
