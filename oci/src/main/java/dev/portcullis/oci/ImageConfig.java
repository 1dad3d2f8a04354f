package dev.portcullis.oci;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an image configuration (OCI image config / Docker container config) that scanning and policy
 * look at. Unknown fields are ignored; missing ones are empty.
 *
 * @param created when the image was built ({@code created}), null when absent, not an RFC 3339 time, or Go's zero
 *     time {@code 0001-01-01T00:00:00Z} (what tools that set no date write): unknown, so a policy decides on it
 */
public record ImageConfig(String architecture, String os, String user, List<String> env, List<String> entrypoint,
                          List<String> cmd, List<String> exposedPorts, Map<String, String> labels,
                          List<String> healthcheckTest, String workingDir, List<Digest> diffIds,
                          List<History> history, Instant created) {

    public ImageConfig {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        exposedPorts = List.copyOf(exposedPorts);
        labels = Map.copyOf(labels);
        healthcheckTest = List.copyOf(healthcheckTest);
        diffIds = List.copyOf(diffIds);
        history = List.copyOf(history);
    }

    /** One history entry; {@code emptyLayer} entries did not produce a layer. */
    public record History(String createdBy, String comment, boolean emptyLayer) {
    }

    public static ImageConfig parse(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        if (!root.isObject()) {
            throw new Json.JsonFormatException("image configuration must be a JSON object");
        }
        JsonNode c = root.path("config");
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode d : root.path("rootfs").path("diff_ids")) {
            diffIds.add(Digest.parse(d.asText()));
        }
        List<History> history = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            history.add(new History(text(h, "created_by"), text(h, "comment"), h.path("empty_layer").asBoolean(false)));
        }
        List<String> ports = new ArrayList<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        Map<String, String> labels = new LinkedHashMap<>();
        for (var e : c.path("Labels").properties()) {
            labels.put(e.getKey(), e.getValue().asText());
        }
        return new ImageConfig(text(root, "architecture"), text(root, "os"), text(c, "User"), strings(c.get("Env")),
                strings(c.get("Entrypoint")), strings(c.get("Cmd")), ports, labels,
                strings(c.path("Healthcheck").get("Test")), text(c, "WorkingDir"), diffIds, history,
                instant(text(root, "created")));
    }

    /** Go's zero {@code time.Time}: a config that says this was given no date. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            Instant t = Instant.parse(text);
            return t.equals(GO_ZERO_TIME) ? null : t;
        } catch (DateTimeParseException e) {
            // a garbled date is as unknown as a missing one; the rest of the config stays readable
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(x -> out.add(x.asText()));
        } else if (node != null && node.isTextual()) {
            out.add(node.textValue());
        }
        return out;
    }
}
