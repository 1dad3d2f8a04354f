package dev.portcullis.scanner.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Descriptor;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.ImageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code docker save} archive: {@code manifest.json} lists, per image, the config file, its tags and its
 * layer files. Older Docker writes {@code <id>/layer.tar} (uncompressed, so the layer's identity is its diff_id
 * from the config); Docker 25+ writes an OCI layout inside, where layers are {@code blobs/sha256/<hex>}. Such an
 * archive has no manifest digest.
 */
final class DockerArchiveSource implements ImageSource {
    private static final Pattern BLOB = Pattern.compile("blobs/(sha256|sha512)/([a-f0-9]+)");
    private static final String LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
    private final String reference;
    private final LayoutFiles files;
    private final String repoTag;
    private final Map<Digest, String> layerFiles = new HashMap<>();

    DockerArchiveSource(String reference, LayoutFiles files, String repoTag) {
        this.reference = reference;
        this.files = files;
        this.repoTag = repoTag;
    }

    @Override
    public String reference() {
        return reference;
    }

    @Override
    public List<SourceImage> images(String platform) throws IOException {
        if (!files.exists("manifest.json")) {
            throw new SourceException(reference + " is not a docker save archive: manifest.json is missing");
        }
        JsonNode manifest = ImageResolver.json(files.read("manifest.json", 4 << 20), "manifest.json");
        List<JsonNode> chosen = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (JsonNode image : manifest) {
            boolean match = repoTag == null;
            for (JsonNode t : image.path("RepoTags")) {
                tags.add(t.asText());
                match |= t.asText().equals(repoTag);
            }
            if (match) {
                chosen.add(image);
            }
        }
        if (chosen.size() != 1) {
            throw new SourceException(chosen.isEmpty()
                    ? "no image " + (repoTag == null ? "" : "tagged '" + repoTag + "' ") + "in " + reference
                    : reference + " holds " + chosen.size() + " images; name one with :REPO:TAG (" + tags + ")");
        }
        JsonNode image = chosen.getFirst();
        String configPath = image.path("Config").asText();
        byte[] configBytes = files.read(configPath, ImageResolver.MAX_CONFIG_BYTES);
        Digest configDigest = Digest.sha256(configBytes);
        ImageConfig config;
        try {
            config = ImageConfig.parse(configBytes);
        } catch (IllegalArgumentException e) {
            throw new SourceException(configPath + " is not an image configuration: " + e.getMessage(), e);
        }
        JsonNode layerPaths = image.path("Layers");
        if (layerPaths.size() != config.diffIds().size()) {
            throw new SourceException("manifest.json lists " + layerPaths.size() + " layers but the configuration "
                    + config.diffIds().size() + " diff_ids");
        }
        List<Descriptor> layers = new ArrayList<>();
        for (int i = 0; i < layerPaths.size(); i++) {
            String path = layerPaths.get(i).asText();
            Matcher m = BLOB.matcher(path);
            Digest digest = m.matches() ? ImageResolver.digest(m.group(1) + ":" + m.group(2), path)
                    : config.diffIds().get(i);
            layerFiles.put(digest, path);
            layers.add(new Descriptor(LAYER_TAR, digest, 0));
        }
        String p = ImageResolver.platformOf(config);
        if (platform != null && !ImageResolver.matches(p, platform)) {
            throw new SourceException(reference + " is " + p + ", not " + platform);
        }
        return List.of(new SourceImage(null, configDigest, p, config, layers));
    }

    @Override
    public InputStream open(Descriptor blob) throws IOException {
        String path = layerFiles.get(blob.digest());
        if (path == null) {
            throw new SourceException("layer " + blob.digest() + " is not in " + reference);
        }
        return files.open(path);
    }

    @Override
    public void close() throws IOException {
        files.close();
    }
}
