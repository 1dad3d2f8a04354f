package dev.portcullis.scanner.os;

import dev.portcullis.scanner.analyzer.LayerFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads a small package database or release file whole, refusing files over a fixed size. */
final class BoundedText {
    private BoundedText() {
    }

    /** The file as UTF-8 (malformed bytes replaced), or a {@link DatabaseFormatException} if it is too large. */
    static String read(LayerFile file, int maxBytes) throws IOException {
        byte[] bytes = file.content().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new DatabaseFormatException("larger than the " + (maxBytes >> 20) + " MiB limit for this file");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
