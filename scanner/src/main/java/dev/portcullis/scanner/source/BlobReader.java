package dev.portcullis.scanner.source;

import dev.portcullis.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a blob (or manifest) by digest from a content-addressed store, e.g. the registry's blob store, so the
 * gate can scan what was pushed without copying it anywhere ({@link ImageSources#fromStore}).
 */
@FunctionalInterface
public interface BlobReader {

    /** A fresh stream of the content with this digest; the caller closes it. */
    InputStream open(Digest digest) throws IOException;
}
