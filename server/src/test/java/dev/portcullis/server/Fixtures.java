package dev.portcullis.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small blobs and manifests built in the test, so each test states exactly what it sends. */
final class Fixtures {
    private static final Random RANDOM = new Random(42);

    private Fixtures() {
    }

    static synchronized byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A descriptor of {@code content} with the given media type. */
    static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = Json.object();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    /** An image manifest of the given media type with one config and the given layers. */
    static byte[] imageManifest(String mediaType, String configType, Digest config, long configSize,
                                List<Map.Entry<Digest, Long>> layers, ObjectNode subject, String artifactType) {
        ObjectNode m = Json.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        m.set("config", descriptor(configType, config, configSize));
        ArrayNode l = m.putArray("layers");
        String layerType = mediaType.equals(MediaType.DOCKER_MANIFEST) ? MediaType.DOCKER_LAYER_GZIP
                : MediaType.OCI_LAYER_GZIP;
        for (Map.Entry<Digest, Long> layer : layers) {
            l.add(descriptor(layerType, layer.getKey(), layer.getValue()));
        }
        if (subject != null) {
            m.set("subject", subject);
        }
        return Json.write(m);
    }

    static byte[] ociManifest(Digest config, long configSize, List<Map.Entry<Digest, Long>> layers) {
        return imageManifest(MediaType.OCI_MANIFEST, MediaType.OCI_CONFIG, config, configSize, layers, null, null);
    }

    /** An index (OCI or Docker list) over the given child manifests. */
    static byte[] index(String mediaType, List<ObjectNode> children, ObjectNode subject, String artifactType) {
        ObjectNode m = Json.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", mediaType);
        if (artifactType != null) {
            m.put("artifactType", artifactType);
        }
        ArrayNode a = m.putArray("manifests");
        children.forEach(a::add);
        if (subject != null) {
            m.set("subject", subject);
        }
        return Json.write(m);
    }

    static ObjectNode platform(ObjectNode descriptor, String os, String arch) {
        ObjectNode p = descriptor.putObject("platform");
        p.put("os", os);
        p.put("architecture", arch);
        return descriptor;
    }

    /** A pushed image: its manifest bytes and digest, its config and its one layer. */
    record Image(Digest manifest, byte[] manifestBytes, String mediaType, Digest config, byte[] configBytes,
                 Digest layer, byte[] layerBytes) {
        ObjectNode descriptor() {
            return Fixtures.descriptor(mediaType, manifest, manifestBytes.length);
        }
    }

    /** Pushes a config, a layer and an OCI manifest (tagged when {@code tag} is not null). */
    static Image pushImage(Http http, String repo, String tag) {
        return pushImage(http, repo, tag, MediaType.OCI_MANIFEST, null, null);
    }

    /**
     * Pushes an artifact (an OCI manifest with an {@code artifactType}) the gate does not scan, so nothing but the
     * test attaches referrers to it: for tests of the referrers API, whose repositories are under unscanned/.
     */
    static Image pushArtifact(Http http, String repo, String tag) {
        return pushImage(http, repo, tag, MediaType.OCI_MANIFEST, null, "application/vnd.example.subject");
    }

    static Image pushImage(Http http, String repo, String tag, String mediaType, ObjectNode subject,
                           String artifactType) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + randomLong() + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] layer = randomBytes(2048);
        Digest c = http.pushBlob(repo, config);
        Digest l = http.pushBlob(repo, layer);
        String configType = mediaType.equals(MediaType.DOCKER_MANIFEST) ? MediaType.DOCKER_CONFIG
                : MediaType.OCI_CONFIG;
        byte[] manifest = imageManifest(mediaType, configType, c, config.length, List.of(Map.entry(l,
                (long) layer.length)), subject, artifactType);
        Digest m = Digest.sha256(manifest);
        Digest pushed = http.pushManifest(repo, tag == null ? m.toString() : tag, mediaType, manifest);
        if (!pushed.equals(m)) {
            throw new AssertionError("registry answered digest " + pushed + " for a manifest of digest " + m);
        }
        return new Image(m, manifest, mediaType, c, config, l, layer);
    }

    private static synchronized long randomLong() {
        return RANDOM.nextLong();
    }
}
