package dev.portcullis.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

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
        return tree(() -> MAPPER.readTree(bytes));
    }

    /**
     * Parses untrusted JSON that must be UTF-8, as JSON exchanged between systems is (RFC 8259 §8.1): without a byte
     * order mark, and strictly decoded, so that overlong forms, encoded surrogates, code points above U+10FFFF and
     * documents in UTF-16 or UTF-32 are refused instead of being read differently by different clients (Go's
     * decoder, for one, refuses them).
     */
    public static JsonNode parseUtf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, text, true);
        if (result.isError()) {
            throw new JsonFormatException("the document is not UTF-8: the bytes at offset " + in.position()
                    + " are not a UTF-8 character (JSON must be UTF-8, RFC 8259 section 8.1)");
        }
        text.flip();
        if (text.length() > 0 && text.charAt(0) == '\uFEFF') {
            throw new JsonFormatException("the document starts with a byte order mark; JSON must be UTF-8 without"
                    + " one (RFC 8259 section 8.1)");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == 0) {
                throw new JsonFormatException("the document has a NUL character at offset " + i + ", as UTF-16 or"
                        + " UTF-32 text does; JSON must be UTF-8 (RFC 8259 section 8.1)");
            }
        }
        return tree(() -> MAPPER.readTree(text.toString()));
    }

    /** Reading a tree, which fails with the parser's exception. */
    @FunctionalInterface
    private interface TreeRead {
        JsonNode read() throws IOException;
    }

    private static JsonNode tree(TreeRead read) {
        try {
            JsonNode node = read.read();
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
