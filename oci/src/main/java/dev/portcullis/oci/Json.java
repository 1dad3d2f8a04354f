package dev.portcullis.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The one JSON codec configuration of Portcullis. Untrusted JSON is read into a tree with bounded nesting depth,
 * string and number lengths, and duplicate keys rejected (two readers must never see two different manifests).
 */
public final class Json {
    public static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(4 * 1024 * 1024)
                    .maxNumberLength(64)
                    .maxNameLength(4096)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private Json() {
    }

    /** Parses untrusted JSON; throws {@link JsonFormatException} with a readable reason on any defect. */
    public static JsonNode parse(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new JsonFormatException("document is empty");
            }
            return node;
        } catch (IOException e) {
            throw new JsonFormatException(firstLine(getOriginalMessage(e)));
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("serialising a JSON tree cannot fail", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String getOriginalMessage(Throwable t) {
        return t instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : t.getMessage();
    }

    /** Malformed JSON, or JSON that does not have the shape a document of its kind must have. */
    public static final class JsonFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public JsonFormatException(String message) {
            super(message);
        }
    }
}
