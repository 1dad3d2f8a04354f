package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;
import java.util.Objects;

/**
 * A part of the image the scanner could not read, so the scan is incomplete.
 *
 * @param layerDigest the layer it is in
 * @param path the path inside the layer, empty when the whole layer could not be read
 * @param reason why, in words for people
 */
public record UnreadableFacts(Digest layerDigest, String path, String reason) {
    public UnreadableFacts {
        Objects.requireNonNull(layerDigest, "layerDigest");
        path = path == null ? "" : path;
        Objects.requireNonNull(reason, "reason");
    }
}
