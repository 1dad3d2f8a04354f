package dev.portcullis.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.auth.AuthException;
import dev.portcullis.oci.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of management request bodies: a UTF-8 JSON object of at most {@value #MAX_BYTES} bytes whose
 * fields are all ones the endpoint declares, each of its declared type and range. Anything else is a 400 naming the
 * field: a typo or a wrong shape is never taken for "not given" (a robot's {@code "repositories"} sent as a string
 * once meant no repository limit at all).
 */
final class JsonBody {
    static final int MAX_BYTES = 64 * 1024;
    /** Times beyond this are typos; the stores keep times as epoch milliseconds. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /** Reads the body, refusing it unless it is a JSON object with no fields outside {@code fields}. */
    static JsonBody read(Exchange ex, String... fields) throws IOException {
        JsonNode node;
        try {
            node = Json.parseUtf8(ex.bodyBytes(MAX_BYTES));
        } catch (Json.JsonFormatException e) {
            throw invalid("the request body is not valid JSON: " + e.getMessage());
        } catch (Exchange.BodyTooLargeException e) {
            throw invalid("the request body exceeds " + MAX_BYTES + " bytes");
        }
        if (!node.isObject()) {
            throw invalid("the request body must be a JSON object, not " + kind(node));
        }
        Set<String> known = Set.of(fields);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw invalid("unknown field '" + name + "'; this request takes " + String.join(", ", fields));
            }
        }
        return new JsonBody(node);
    }

    /** A string that must be present and not empty. */
    String text(String field) {
        return optionalText(field).orElseThrow(() -> invalid("field '" + field + "' is required"));
    }

    /** A string, or empty when the field is absent, null or "". */
    Optional<String> optionalText(String field) {
        JsonNode n = node.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw invalid("field '" + field + "' must be a string, not " + kind(n));
        }
        return n.asText().isEmpty() ? Optional.empty() : Optional.of(n.asText());
    }

    /** A list of strings, or empty when the field is absent. */
    Optional<List<String>> optionalStrings(String field) {
        JsonNode n = node.get(field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw invalid("field '" + field + "' must be a list of strings, not " + kind(n));
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw invalid("field '" + field + "' must be a list of strings; item " + values.size() + " is "
                        + kind(item));
            }
            values.add(item.asText());
        }
        return Optional.of(List.copyOf(values));
    }

    /** A list of strings that must be present (it may be empty). */
    List<String> strings(String field, String meaning) {
        return optionalStrings(field).orElseThrow(() -> invalid("field '" + field + "' is required: " + meaning));
    }

    /** A UTC time such as 2026-01-31T12:00:00Z, before the year 10000. */
    Optional<Instant> optionalInstant(String field) {
        return optionalText(field).map(text -> {
            Instant t;
            try {
                t = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid("field '" + field + "': '" + text + "' is not a UTC time such as 2026-01-31T12:00:00Z");
            }
            if (t.isAfter(LATEST) || t.isBefore(Instant.EPOCH)) {
                throw invalid("field '" + field + "': " + text + " is outside the years 1970 to 9999");
            }
            return t;
        });
    }

    private static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static AuthException invalid(String message) {
        return new AuthException(AuthException.Reason.INVALID, message);
    }
}
