package dev.portcullis.scanner.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.ManifestParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/}) in a directory or a tar archive.
 * The tag picks the {@code index.json} entry whose {@code org.opencontainers.image.ref.name} annotation equals
 * it; without a tag the layout must hold exactly one entry.
 */
final class OciLayoutSource implements ImageSource {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    private final String reference;
    private final LayoutFiles files;
    private final String tag;

    OciLayoutSource(String reference, LayoutFiles files, String tag) {
        this.reference = reference;
        this.files = files;
        this.tag = tag;
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public List<SourceImage> images(String platform) throws IOException {
        if (!files.exists("index.json")) {
            throw new SourceException(reference + " is not an OCI image layout: index.json is missing");
        }
        JsonNode index = ImageResolver.json(files.read("index.json", ManifestParser.MAX_MANIFEST_BYTES),
                "index.json");
        List<Descriptor> entries = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int i = 0;
        for (JsonNode m : index.path("manifests")) {
            Descriptor d;
            try {
                d = ManifestParser.descriptor(m, "index.json manifests[" + i++ + "]");
            } catch (IllegalArgumentException e) {
                throw new SourceException(e.getMessage(), e);
            }
            String name = d.annotations().get(REF_NAME);
            if (name != null) {
                tags.add(name);
            }
            if (tag == null || tag.equals(name)) {
                entries.add(d);
            }
        }
        if (entries.isEmpty()) {
            throw new SourceException(tag == null ? reference + " holds no image"
                    : "no image tagged '" + tag + "' in " + reference + "; tags: " + String.join(", ", tags));
        }
        if (entries.size() > 1) {
            throw new SourceException(reference + " holds " + entries.size() + " images; name one with :TAG ("
                    + String.join(", ", tags) + ")");
        }
        return ImageResolver.resolve(entries.getFirst(), (d, max) -> files.read(blobPath(d), max), platform);
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        return files.open(blobPath(blob));
    }

    private static String blobPath(Descriptor d) {
        // a Digest is validated lower-case hex, so this path cannot leave blobs/
        return "blobs/" + d.digest().algorithm().id() + "/" + d.digest().encoded();
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
