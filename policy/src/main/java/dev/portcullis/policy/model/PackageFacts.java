package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;

/**
 * One installed package.
 *
 * @param purl its package URL
 * @param ecosystem the ecosystem as the purl type names it ({@code deb}, {@code apk}, {@code maven}, {@code golang})
 * @param layerDigest the layer that brought it, null when not known
 * @param layerCreatedBy that layer's {@code created_by} history entry, empty when unknown
 * @param path the file it was found in (a lock file, a status database, a jar)
 * @param licence its licence expression where known, else null
 * @param firstParty whether it is the image's own code (for example a Go main module built as {@code (devel)})
 */
public record PackageFacts(String purl, String ecosystem, String name, String version, Digest layerDigest,
                           String layerCreatedBy, String path, String licence, boolean firstParty) {
    public PackageFacts {
        ImageFacts.requireText(purl, "purl");
        ecosystem = ecosystem == null ? "" : ecosystem;
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        layerCreatedBy = layerCreatedBy == null ? "" : layerCreatedBy;
        path = path == null ? "" : path;
    }
}
