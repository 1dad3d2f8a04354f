package dev.portcullis.scanner.lang.npm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.lang.Listed;
import dev.portcullis.scanner.lang.PackageDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code package-lock.json} (and {@code npm-shrinkwrap.json}): lockfileVersion 2 and 3 list every installed
 * package under {@code packages} keyed by its {@code node_modules/...} path; version 1 nests them under
 * {@code dependencies}. Links, workspace folders and bundled-only entries without a version are not packages.
 */
final class PackageLock {
    private static final String NODE_MODULES = "node_modules/";

    private PackageLock() {
    }

    static List<Listed> parse(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        if (!root.isObject()) {
            throw new PackageDataException("package-lock.json is not a JSON object");
        }
        List<Listed> out = new ArrayList<>();
        JsonNode packages = root.get("packages");
        if (packages != null && packages.isObject()) {
            for (Map.Entry<String, JsonNode> e : packages.properties()) {
                String key = e.getKey();
                JsonNode p = e.getValue();
                int at = key.lastIndexOf(NODE_MODULES);
                if (at < 0 || p.path("link").asBoolean(false) || !p.path("version").isTextual()) {
                    continue;
                }
                String name = p.path("name").isTextual() ? p.path("name").textValue()
                        : key.substring(at + NODE_MODULES.length());
                out.add(new Listed(name, p.path("version").textValue(), p.path("dev").asBoolean(false)));
            }
            return out;
        }
        v1(root.path("dependencies"), out, 0);
        return out;
    }

    private static void v1(JsonNode dependencies, List<Listed> out, int depth) {
        if (depth > Json.MAX_DEPTH) {
            throw new PackageDataException("package-lock.json dependencies nested too deeply");
        }
        for (Map.Entry<String, JsonNode> e : dependencies.properties()) {
            JsonNode d = e.getValue();
            String version = d.path("version").asText("");
            // v1 records git/file/link dependencies by their spec, not a registry version
            if (!version.isEmpty() && !version.contains(":") && !version.startsWith("file")) {
                out.add(new Listed(e.getKey(), version, d.path("dev").asBoolean(false)));
            }
            v1(d.path("dependencies"), out, depth + 1);
        }
    }
}
