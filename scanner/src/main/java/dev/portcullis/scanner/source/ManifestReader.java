package dev.portcullis.scanner.source;

import dev.portcullis.oci.Digest;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a manifest or index by digest as the registry stores it: in its metadata database, not among its blobs
 * ({@link ImageSources#fromStore}).
 */
@FunctionalInterface
public interface ManifestReader {

    /** The stored bytes of the manifest, empty when the store does not hold it. */
    Optional<byte[]> read(Digest digest) throws IOException;
}
