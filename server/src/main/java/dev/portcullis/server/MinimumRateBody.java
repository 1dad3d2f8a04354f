package dev.portcullis.server;

import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.RegistryException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * An upload body that must keep up a minimum average rate once its grace period has passed; a slower one is dropped
 * with {@code BLOB_UPLOAD_INVALID}, freeing its upload slot. A body that stalls completely is ended by the
 * connection's idle timeout, which the caller sets to the grace period while the body is read; that failure is
 * reported the same way.
 */
final class MinimumRateBody extends FilterInputStream {
    private final long bytesPerSecond;
    private final long graceNanos;
    private final long start = System.nanoTime();
    private long bytes;

    MinimumRateBody(InputStream body, long bytesPerSecond, Duration grace) {
        super(body);
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = super.read();
        } catch (IOException e) {
            throw stalled(e);
        }
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            throw stalled(e);
        }
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        bytes += n;
        long elapsed = System.nanoTime() - start;
        if (elapsed > graceNanos && bytes < (double) bytesPerSecond * elapsed / 1e9) {
            throw tooSlow(elapsed);
        }
    }

    /** A read that failed after the grace period was the idle timeout ending a stalled body. */
    private IOException stalled(IOException e) {
        long elapsed = System.nanoTime() - start;
        if (elapsed >= graceNanos) {
            throw tooSlow(elapsed);
        }
        return e;
    }

    private RegistryException tooSlow(long elapsedNanos) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "the upload body arrived at "
                + Math.round(bytes / Math.max(elapsedNanos / 1e9, 1e-9)) + " bytes/s, below the minimum of "
                + bytesPerSecond + " bytes/s (protection.minUploadRate); the upload was dropped, retry it");
    }
}
