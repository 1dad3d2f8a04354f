package dev.portcullis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads OCI image manifests and indexes and Docker schema 2 manifests and manifest lists from untrusted bytes.
 * Every defect becomes an {@link InvalidManifestException} whose message says what to fix.
 */
public final class ManifestParser {
    /** The distribution spec lets registries refuse larger manifests; 4 MiB is what the common ones accept. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private ManifestParser() {
    }

    /**
     * @param bytes       the manifest exactly as uploaded
     * @param contentType the Content-Type it was uploaded with, or null when unknown (e.g. read from a layout)
     */
    public static Manifest parse(byte[] bytes, String contentType) {
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new InvalidManifestException("manifest is " + bytes.length + " bytes; the limit is "
                    + MAX_MANIFEST_BYTES);
        }
        JsonNode root;
        try {
            root = Json.parseUtf8(bytes);
        } catch (Json.JsonFormatException e) {
            throw new InvalidManifestException("manifest is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new InvalidManifestException("manifest must be a JSON object");
        }
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
            throw new InvalidManifestException("manifest must have \"schemaVersion\": 2");
        }
        String declared = optionalText(root, "mediaType", "manifest");
        String type = stripParameters(contentType);
        if (declared != null && type != null && !declared.equals(type)) {
            throw new InvalidManifestException("manifest mediaType '" + declared + "' does not match Content-Type '"
                    + type + "'");
        }
        String mediaType = declared != null ? declared : type;
        if (mediaType == null || mediaType.equals("application/json") || mediaType.equals("application/octet-stream")) {
            mediaType = root.has("manifests") ? MediaType.OCI_INDEX : MediaType.OCI_MANIFEST;
        }
        if (MediaType.DOCKER_MANIFEST.equals(mediaType) || MediaType.DOCKER_MANIFEST_LIST.equals(mediaType)) {
            if (declared == null) {
                throw new InvalidManifestException("Docker schema 2 manifests must carry their mediaType field");
            }
        }
        Optional<Descriptor> subject = root.has("subject")
                ? Optional.of(descriptor(root.get("subject"), "subject")) : Optional.empty();
        String artifactType = optionalText(root, "artifactType", "manifest");
        Map<String, String> annotations = annotations(root.get("annotations"), "manifest");
        return switch (mediaType) {
            case MediaType.OCI_MANIFEST, MediaType.DOCKER_MANIFEST -> {
                if (root.has("manifests")) {
                    throw new InvalidManifestException("an image manifest must not have a \"manifests\" field");
                }
                JsonNode config = root.get("config");
                if (config == null) {
                    throw new InvalidManifestException("image manifest has no \"config\" descriptor");
                }
                yield new Manifest.Image(mediaType, descriptor(config, "config"), descriptors(root, "layers", true),
                        subject, artifactType, annotations);
            }
            case MediaType.OCI_INDEX, MediaType.DOCKER_MANIFEST_LIST -> {
                if (root.has("config") || root.has("layers")) {
                    throw new InvalidManifestException("an index must not have \"config\" or \"layers\" fields");
                }
                yield new Manifest.Index(mediaType, descriptors(root, "manifests", true), subject, artifactType,
                        annotations);
            }
            default -> throw new InvalidManifestException("manifest media type '" + mediaType
                    + "' is not supported; push an OCI image manifest or index, or a Docker schema 2 manifest or list");
        };
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, boolean required) {
        JsonNode array = root.get(field);
        if (array == null) {
            if (required) {
                throw new InvalidManifestException("manifest has no \"" + field + "\" array");
            }
            return List.of();
        }
        if (!array.isArray()) {
            throw new InvalidManifestException("\"" + field + "\" must be an array");
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    /** Parses one descriptor; {@code where} names it in error messages. */
    public static Descriptor descriptor(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidManifestException(where + " must be a descriptor object");
        }
        String mediaType = optionalText(node, "mediaType", where);
        if (mediaType == null) {
            throw new InvalidManifestException(where + " has no mediaType");
        }
        String digestText = optionalText(node, "digest", where);
        if (digestText == null) {
            throw new InvalidManifestException(where + " has no digest");
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (InvalidDigestException e) {
            throw new InvalidManifestException(where + ": " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw new InvalidManifestException(where + " must have a non-negative integer size");
        }
        Descriptor.Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null) {
            if (!p.isObject()) {
                throw new InvalidManifestException(where + ".platform must be an object");
            }
            List<String> features = new ArrayList<>();
            JsonNode f = p.get("os.features");
            if (f != null && f.isArray()) {
                f.forEach(x -> features.add(x.asText()));
            }
            platform = new Descriptor.Platform(optionalText(p, "architecture", where + ".platform"),
                    optionalText(p, "os", where + ".platform"), optionalText(p, "variant", where + ".platform"),
                    optionalText(p, "os.version", where + ".platform"), features);
        }
        List<String> urls = new ArrayList<>();
        JsonNode u = node.get("urls");
        if (u != null && u.isArray()) {
            u.forEach(x -> urls.add(x.asText()));
        }
        return new Descriptor(mediaType, digest, size.longValue(), optionalText(node, "artifactType", where),
                annotations(node.get("annotations"), where), platform, urls);
    }

    private static Map<String, String> annotations(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidManifestException(where + ".annotations must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new InvalidManifestException(where + ".annotations[\"" + e.getKey() + "\"] must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static String optionalText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidManifestException(where + "." + field + " must be a string");
        }
        return v.textValue();
    }

    /** {@code application/x; charset=utf-8} → {@code application/x}; blank → null. */
    public static String stripParameters(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return t.isEmpty() ? null : t;
    }

    /** The manifest bytes are not an acceptable manifest. */
    public static final class InvalidManifestException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidManifestException(String message) {
            super(message);
        }
    }
}
