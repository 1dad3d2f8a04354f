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
}
