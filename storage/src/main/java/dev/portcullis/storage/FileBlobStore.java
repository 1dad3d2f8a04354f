package dev.portcullis.storage;

import dev.portcullis.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Blobs as files under {@code root/<algorithm>/<first two hex>/<hex>}; uploads as files under
 * {@code root/_uploads/<uuid>}. A blob is published by an atomic rename after fsync and digest verification, so a
 * crash at any instant leaves either no blob or a complete, verified one. Upload files survive restarts, which makes
 * chunked uploads resumable; the running hash is kept in memory and recomputed from the file after a restart.
 */
public final class FileBlobStore implements BlobStore {
    private static final int BUFFER = 256 * 1024;

    private final Path root;
    private final Path uploads;
    private final ConcurrentHashMap<UploadId, RunningHash> hashes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UploadId, Object> locks = new ConcurrentHashMap<>();

    /** SHA-256 of the bytes [0, size) of one upload, as they were appended in this process. */
    private static final class RunningHash {
        final MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        long size;
    }

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.uploads = this.root.resolve("_uploads");
        try {
            Files.createDirectories(uploads);
        } catch (IOException e) {
            throw new StorageException("cannot create blob directory " + uploads + ": " + e.getMessage(), e);
        }
    }

    Path pathOf(Digest digest) {
        // Digest guarantees lower-case hex of fixed length: the path cannot leave root.
        String hex = digest.encoded();
        return root.resolve(digest.algorithm().id()).resolve(hex.substring(0, 2)).resolve(hex);
    }

    private Path uploadPath(UploadId id) {
        return uploads.resolve(id.value());
    }

    @Override
    public Optional<BlobInfo> stat(Digest digest) {
        try {
            return Optional.of(new BlobInfo(digest, Files.size(pathOf(digest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StorageException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(Digest digest, long offset, long length) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(pathOf(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException("blob " + digest + " is not stored");
        }
        channel.position(offset);
        return new LimitedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public Optional<Path> localFile(Digest digest) {
        Path p = pathOf(digest);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(pathOf(digest));
    }

    @Override
    public void forEach(Instant writtenBefore, Consumer<BlobInfo> visitor) throws IOException {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Path dir = root.resolve(algorithm.id());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(dir)) {
                for (Path prefix : prefixes) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
                        for (Path f : files) {
                            String name = f.getFileName().toString();
                            if (name.length() == algorithm.hexLength() && !name.startsWith(".")
                                    && Files.getLastModifiedTime(f).toInstant().isBefore(writtenBefore)) {
                                visitor.accept(new BlobInfo(new Digest(algorithm, name), Files.size(f)));
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void startUpload(UploadId id) throws IOException {
        try {
            Files.createFile(uploadPath(id));
        } catch (FileAlreadyExistsException e) {
            throw new StorageException("upload " + id + " already exists");
        }
        hashes.put(id, new RunningHash());
    }

    @Override
    public long uploadedSize(UploadId id) throws IOException {
        try {
            return Files.size(uploadPath(id));
        } catch (NoSuchFileException e) {
            throw new UploadNotFoundException("upload " + id + " does not exist");
        }
    }

    @Override
    public long append(UploadId id, long offset, InputStream data, long maxBytes) throws IOException {
        return append(id, OptionalLong.of(offset), data, maxBytes);
    }

    @Override
    public long appendAtEnd(UploadId id, InputStream data, long maxBytes) throws IOException {
        return append(id, OptionalLong.empty(), data, maxBytes);
    }

    /** Appends at {@code expected}, which must be the upload's end, or at the end when empty. */
    private long append(UploadId id, OptionalLong expected, InputStream data, long maxBytes) throws IOException {
        synchronized (lock(id)) {
            try (FileChannel out = FileChannel.open(uploadPath(id), StandardOpenOption.WRITE)) {
                long size = out.size();
                if (expected.isPresent() && size != expected.getAsLong()) {
                    throw new UploadOffsetException("chunk starts at byte " + expected.getAsLong() + " but the upload"
                            + " has " + size + " bytes; send the chunk that starts at byte " + size, size);
                }
                long offset = size;
                RunningHash hash = hashes.get(id);
                if (hash != null && hash.size != size) {
                    hashes.remove(id);
                    hash = null;
                }
                out.position(size);
                byte[] buffer = new byte[BUFFER];
                long written = 0;
                // If the client goes away mid-chunk, what arrived is kept (the upload status shows it) and the
                // running hash still covers exactly the bytes in the file.
                int n;
                while ((n = data.read(buffer)) > 0) {
                    if (offset + written + n > maxBytes) {
                        out.truncate(offset);
                        hashes.remove(id);
                        throw new SizeLimitException("the upload exceeds the limit of " + maxBytes + " bytes");
                    }
                    ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    if (hash != null) {
                        hash.sha256.update(buffer, 0, n);
                        hash.size += n;
                    }
                    written += n;
                }
                return offset + written;
            } catch (NoSuchFileException e) {
                throw new UploadNotFoundException("upload " + id + " does not exist");
            }
        }
    }

    @Override
    public BlobInfo commit(UploadId id, Digest expected) throws IOException {
        synchronized (lock(id)) {
            Path file = uploadPath(id);
            long size;
            Digest actual;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.force(true);
                size = channel.size();
                RunningHash hash = hashes.get(id);
                if (expected.algorithm() == Digest.Algorithm.SHA256 && hash != null && hash.size == size) {
                    actual = Digest.of(Digest.Algorithm.SHA256, hash.sha256.digest());
                } else {
                    actual = hashFile(channel, expected.algorithm());
                }
            } catch (NoSuchFileException e) {
                throw new UploadNotFoundException("upload " + id + " does not exist");
            } finally {
                hashes.remove(id);
            }
            if (!MessageDigest.isEqual(actual.encoded().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    expected.encoded().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                Files.deleteIfExists(file);
                locks.remove(id);
                throw new DigestMismatchException("uploaded content has digest " + actual + ", not " + expected);
            }
            Path target = pathOf(expected);
            Files.createDirectories(target.getParent());
            // Replaces a blob that exists already (same bytes): readers of the old file keep it, and the blob is
            // written again as far as garbage collection's grace period is concerned (see forEach), with no window in
            // which a collection could remove it between a check and a rename.
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new StorageException("the blob directory must be on one filesystem with atomic renames", e);
            }
            fsyncDirectory(target.getParent());
            locks.remove(id);
            return new BlobInfo(expected, size);
        }
    }

    @Override
    public List<UploadId> uploadsIdleSince(Instant cutoff) throws IOException {
        List<UploadId> idle = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(uploads)) {
            for (Path f : files) {
                UploadId id;
                try {
                    id = new UploadId(f.getFileName().toString());
                } catch (UploadNotFoundException notOurs) {
                    continue; // not a name this store creates
                }
                if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                    idle.add(id);
                }
            }
        }
        return idle;
    }

    @Override
    public boolean cancel(UploadId id) throws IOException {
        synchronized (lock(id)) {
            hashes.remove(id);
            boolean existed = Files.deleteIfExists(uploadPath(id));
            locks.remove(id);
            return existed;
        }
    }

    private Object lock(UploadId id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private static Digest hashFile(FileChannel channel, Digest.Algorithm algorithm) throws IOException {
        MessageDigest md = algorithm.newMessageDigest();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        channel.position(0);
        while (channel.read(buffer) > 0) {
            buffer.flip();
            md.update(buffer);
            buffer.clear();
        }
        return Digest.of(algorithm, md.digest());
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the rename itself durable; some filesystems refuse to open directories, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // durability of the directory entry is best effort where the OS does not support it
        }
    }

    /** Reads at most {@code remaining} bytes of the underlying stream. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
