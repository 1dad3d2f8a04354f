package dev.portcullis.scanner.source;

import java.io.IOException;

/**
 * The image reference cannot be used: unknown transport, missing file, no such tag, malformed manifest,
 * authentication refused. The message is meant for the user as is (the CLI prints it and exits with 2).
 */
public final class SourceException extends IOException {
    private static final long serialVersionUID = 1L;

    public SourceException(String message) {
        super(message);
    }

    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
