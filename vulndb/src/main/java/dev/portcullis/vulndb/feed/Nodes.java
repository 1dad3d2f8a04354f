package dev.portcullis.vulndb.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for reading feed trees whose fields may be missing or of the wrong type. */
final class Nodes {
    private Nodes() {
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    static List<String> texts(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = node.get(field);
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                if (e.isValueNode() && !e.isNull()) {
                    out.add(e.asText());
                }
            }
        }
        return out;
    }

    static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static boolean isArray(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isArray();
    }
}
