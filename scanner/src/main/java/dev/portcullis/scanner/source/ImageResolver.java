package dev.portcullis.scanner.source;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Manifest;
import dev.portcullis.oci.ManifestParser;
import dev.portcullis.oci.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a top-level manifest descriptor into single-platform images: an index is expanded into its platform
 * entries (attestation manifests with platform {@code unknown/unknown} are not images and are left out), an
 * image manifest into its config and layers. Every fetched manifest and config is checked against its digest.
 */
final class ImageResolver {
    static final int MAX_CONFIG_BYTES = 8 << 20;
    private static final int MAX_INDEX_DEPTH = 2;

    /** Reads the bytes of a manifest or config blob, bounded by {@code max}. */
    interface Fetch {
        byte[] fetch(Descriptor d, int max) throws IOException;
    }

    private ImageResolver() {
    }

    static List<SourceImage> resolve(Descriptor top, Fetch fetch, String platform) throws IOException {
        List<SourceImage> out = new ArrayList<>();
        resolve(top, null, fetch, platform, out, 0);
        if (out.isEmpty()) {
            throw new SourceException(platform == null ? "the reference names no image"
                    : "the reference has no image for platform " + platform);
        }
        return out;
    }

    private static void resolve(Descriptor d, String indexPlatform, Fetch fetch, String platform,
                                List<SourceImage> out, int depth) throws IOException {
        byte[] bytes = verified(d, fetch.fetch(d, ManifestParser.MAX_MANIFEST_BYTES));
        Manifest m;
        try {
            m = ManifestParser.parse(bytes, MediaType.isManifest(d.mediaType()) ? d.mediaType() : null);
        } catch (IllegalArgumentException e) {
            throw new SourceException("manifest " + d.digest() + " is invalid: " + e.getMessage(), e);
        }
        switch (m) {
            case Manifest.Index index -> {
                if (depth >= MAX_INDEX_DEPTH) {
                    throw new SourceException("indexes nested more than " + MAX_INDEX_DEPTH + " deep");
                }
                for (Descriptor child : index.manifests()) {
                    String p = child.platform() == null ? null : child.platform().toString();
                    if (p != null && p.startsWith("unknown/")) {
                        continue;
                    }
                    if (platform != null && p != null && !matches(p, platform)) {
                        continue;
                    }
                    resolve(child, p, fetch, platform, out, depth + 1);
                }
            }
            case Manifest.Image image -> {
                byte[] configBytes = verified(image.config(), fetch.fetch(image.config(), MAX_CONFIG_BYTES));
                ImageConfig config;
                try {
                    config = ImageConfig.parse(configBytes);
                } catch (IllegalArgumentException e) {
                    throw new SourceException("image configuration " + image.config().digest() + " is invalid: "
                            + e.getMessage(), e);
                }
                String p = indexPlatform != null ? indexPlatform : platformOf(config);
                if (platform == null || matches(p, platform)) {
                    out.add(new SourceImage(d.digest(), image.config().digest(), p, config, image.layers()));
                }
            }
        }
    }

    static String platformOf(ImageConfig config) {
        return (config.os() == null ? "unknown" : config.os()) + "/"
                + (config.architecture() == null ? "unknown" : config.architecture());
    }

    /** {@code linux/arm64} matches {@code linux/arm64/v8}: a requested platform without variant takes any. */
    static boolean matches(String actual, String wanted) {
        return actual.equals(wanted) || actual.startsWith(wanted + "/");
    }

    static byte[] verified(Descriptor d, byte[] bytes) throws SourceException {
        if (!d.digest().matches(bytes)) {
            throw new SourceException("content of " + d.digest() + " does not match its digest");
        }
        return bytes;
    }

    /** Parses a JSON document the source itself describes (index.json, manifest.json), bounded. */
    static com.fasterxml.jackson.databind.JsonNode json(byte[] bytes, String what) throws SourceException {
        try {
            return Json.parse(bytes);
        } catch (Json.JsonFormatException e) {
            throw new SourceException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static Digest digest(String text, String what) throws SourceException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SourceException(what + ": " + e.getMessage(), e);
        }
    }
}
