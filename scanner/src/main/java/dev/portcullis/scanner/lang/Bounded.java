package dev.portcullis.scanner.lang;

import java.io.IOException;
import java.io.InputStream;

/** Reads small metadata files whole, refusing any that are larger than the caller's limit. */
public final class Bounded {
    private Bounded() {
    }

    /** All bytes of {@code in}; a {@link PackageDataException} if there are more than {@code max}. */
    public static byte[] readAll(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max);
        if (bytes.length == max && in.read() >= 0) {
            throw new PackageDataException("file is larger than the limit of " + max + " bytes");
        }
        return bytes;
    }
}
