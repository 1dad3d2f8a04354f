package dev.portcullis.scanner.source;

import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An image already in the registry, named by its top-level manifest descriptor: manifests from the registry's
 * metadata, configurations and layers from its blob store.
 */
final class StoreSource implements ImageSource {
    private final String reference;
    private final Descriptor manifest;
    private final ManifestReader manifests;
    private final BlobReader blobs;

    StoreSource(String reference, Descriptor manifest, ManifestReader manifests, BlobReader blobs) {
        this.reference = reference;
        this.manifest = manifest;
        this.manifests = manifests;
        this.blobs = blobs;
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public List<SourceImage> images(String platform) throws IOException {
        return ImageResolver.resolve(manifest, (d, max) -> {
            if (MediaType.isManifest(d.mediaType())) {
                byte[] bytes = manifests.read(d.digest()).orElseThrow(() -> new SourceException("manifest "
                        + d.digest() + " is not in the registry"));
                if (bytes.length > max) {
                    throw new SourceException(d.digest() + " is larger than " + max + " bytes");
                }
                return bytes;
            }
            try (InputStream in = blobs.open(d.digest())) {
                byte[] bytes = in.readNBytes(max + 1);
                if (bytes.length > max) {
                    throw new SourceException(d.digest() + " is larger than " + max + " bytes");
                }
                return bytes;
            }
        }, platform);
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        return blobs.open(blob.digest());
    }

    @Override
    public void close() {
        // the store belongs to the caller
    }
}
