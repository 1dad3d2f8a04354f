package dev.portcullis.scanner.layer;

import java.io.IOException;

/**
 * The layer itself cannot be read any further: corrupt compression, truncated or malformed tar, a limit
 * exceeded, or a digest mismatch. Distinct from an analyzer failing on one file, which only loses that file.
 */
public final class LayerReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public LayerReadException(String message) {
        super(message);
    }

    public LayerReadException(String message, Throwable cause) {
        super(message, cause);
    }

    private LayerReadException(LayerReadException e, long decompressedBytes) {
        super(e.getMessage(), e.getCause());
        this.decompressedBytes = decompressedBytes;
    }

    private long decompressedBytes;

    /** The same failure, with how many bytes the layer had expanded to when it happened. */
    LayerReadException afterDecompressing(long bytes) {
        return new LayerReadException(this, bytes);
    }

    /** Bytes the layer had expanded to when reading failed: they count against the image's budget all the same. */
    public long decompressedBytes() {
        return decompressedBytes;
    }
}
