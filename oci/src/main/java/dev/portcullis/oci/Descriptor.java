package dev.portcullis.oci;

import java.util.List;
import java.util.Map;

/**
 * A content descriptor: what a manifest says about a blob or another manifest. {@code platform} is set only for
 * index entries; {@code artifactType} and {@code annotations} may be empty.
 */
public record Descriptor(String mediaType, Digest digest, long size, String artifactType,
                         Map<String, String> annotations, Platform platform, List<String> urls) {

    public Descriptor {
        if (digest == null) {
            throw new IllegalArgumentException("descriptor has no digest");
        }
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size must not be negative");
        }
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of(), null, List.of());
    }

    /** The platform of an index entry, as in the image index spec. */
    public record Platform(String architecture, String os, String variant, String osVersion, List<String> osFeatures) {
        public Platform {
            osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        }

        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null ? "" : "/" + variant);
        }
    }
}
