package dev.portcullis.scanner.analyzer;

import dev.portcullis.oci.Digest;

/**
 * A part of the image that could not be read, with where and why (e.g. corrupt gzip, malformed database).
 *
 * @param sha1 for a Java archive that names no Maven coordinates, the SHA-1 of the archive, by which an index may
 *             still identify it (see {@code JarIdentities}); empty otherwise
 */
public record Unreadable(Digest layer, String path, String reason, String sha1) {
    public Unreadable {
        sha1 = sha1 == null ? "" : sha1;
    }

    public Unreadable(Digest layer, String path, String reason) {
        this(layer, path, reason, "");
    }
}
