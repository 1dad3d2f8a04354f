package dev.portcullis.server;

import dev.portcullis.storage.StorageException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on a data directory whose database is SQLite: two servers on one SQLite file would each run
 * their own gate, janitor and audit checkpoints against it. The lock file names its holder (pid, host, start time)
 * so the refusal can say who it is. The operating system releases the lock when the holder dies, so a stale file
 * after a crash never blocks a restart.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE = "portcullis.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException("cannot create the lock file " + file + ": " + e, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process (a second server in one JVM)
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new StorageException("the data directory " + dataDir.toAbsolutePath() + " is in use by another"
                        + " Portcullis server (" + (holder.isEmpty() ? "holder unknown" : holder) + ", lock "
                        + file.toAbsolutePath() + "); stop that server or give this one another --data directory");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on host " + host()
                    + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new StorageException("cannot lock " + file + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel, IOException cause) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Releases the lock; the file stays (its content is stale once unlocked, and the next holder rewrites it). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
