package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.oci.Json.JsonFormatException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reading one JSON object field by field, with the field's path in every error ({@code findings[3].severity}), and
 * the few writing helpers the codecs share. Absent and {@code null} mean the same for optional fields.
 */
final class JsonFields {
    private final JsonNode node;
    private final String path;

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields of(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new JsonFormatException(path + " must be an object");
        }
        return new JsonFields(node, path);
    }

    JsonFields object(String name) {
        return of(node.get(name), at(name));
    }

    JsonFields optionalObject(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : of(v, at(name));
    }

    String string(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw new JsonFormatException(at(name) + " is required");
        }
        return s;
    }

    String optionalString(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new JsonFormatException(at(name) + " must be a string");
        }
        return v.textValue();
    }

    boolean bool(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isBoolean()) {
            throw new JsonFormatException(at(name) + " must be true or false");
        }
        return v.booleanValue();
    }

    int integer(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isInt()) {
            throw new JsonFormatException(at(name) + " must be a whole number");
        }
        return v.intValue();
    }

    Double optionalNumber(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new JsonFormatException(at(name) + " must be a number");
        }
        return v.doubleValue();
    }

    Instant instant(String name) {
        Instant i = optionalInstant(name);
        if (i == null) {
            throw new JsonFormatException(at(name) + " is required");
        }
        return i;
    }

    Instant optionalInstant(String name) {
        String s = optionalString(name);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeException e) {
            throw new JsonFormatException(at(name) + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    LocalDate optionalDate(String name) {
        String s = optionalString(name);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeException e) {
            throw new JsonFormatException(at(name) + " must be a date such as 2026-01-31");
        }
    }

    Digest digest(String name) {
        Digest d = optionalDigest(name);
        if (d == null) {
            throw new JsonFormatException(at(name) + " is required");
        }
        return d;
    }

    Digest optionalDigest(String name) {
        String s = optionalString(name);
        try {
            return s == null ? null : Digest.parse(s);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(at(name) + ": " + e.getMessage());
        }
    }

    <E extends Enum<E>> E enumeration(String name, Class<E> type) {
        String s = string(name);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new JsonFormatException(at(name) + " '" + s + "' is not one of "
                    + List.of(type.getEnumConstants()));
        }
    }

    List<String> strings(String name) {
        return list(name, (item, p) -> {
            if (!item.isTextual()) {
                throw new JsonFormatException(p + " must be a string");
            }
            return item.textValue();
        });
    }

    <T> List<T> objects(String name, Function<JsonFields, T> read) {
        return list(name, (item, p) -> read.apply(of(item, p)));
    }

    Map<String, String> stringMap(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new JsonFormatException(at(name) + " must be an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new JsonFormatException(at(name) + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        });
        return out;
    }

    Map<String, Integer> intMap(String name) {
        JsonNode v = node.get(name);
        if (v == null || !v.isObject()) {
            throw new JsonFormatException(at(name) + " must be an object");
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            if (!e.getValue().isInt()) {
                throw new JsonFormatException(at(name) + "." + e.getKey() + " must be a whole number");
            }
            out.put(e.getKey(), e.getValue().intValue());
        });
        return out;
    }

    /** Runs a record constructor, turning its validation failure into a format error at this object's path. */
    <T> T build(java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (JsonFormatException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new JsonFormatException(path + ": " + e.getMessage());
        }
    }

    private interface ItemReader<T> {
        T read(JsonNode item, String path);
    }

    private <T> List<T> list(String name, ItemReader<T> read) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new JsonFormatException(at(name) + " must be a list");
        }
        List<T> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(read.read(v.get(i), at(name) + "[" + i + "]"));
        }
        return out;
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    // writing

    static ArrayNode array(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }

    static void putIfKnown(ObjectNode o, String name, Object value) {
        if (value != null) {
            switch (value) {
                case Double d -> o.put(name, d);
                case JsonNode n -> o.set(name, n);
                default -> o.put(name, value.toString());
            }
        }
    }
}
