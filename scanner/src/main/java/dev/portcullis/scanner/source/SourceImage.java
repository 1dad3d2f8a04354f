package dev.portcullis.scanner.source;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import java.util.List;

/**
 * One single-platform image of a source: its manifest digest (null for {@code docker save} archives, which have
 * none), its configuration, and its layers bottom first.
 */
public record SourceImage(Digest manifestDigest, Digest configDigest, String platform, ImageConfig config,
                          List<Descriptor> layers) {

    public SourceImage {
        if (config == null || configDigest == null) {
            throw new IllegalArgumentException("an image needs its configuration");
        }
        layers = List.copyOf(layers);
    }
}
