package dev.portcullis.vulndb.vex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.oci.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OpenVEX documents and CycloneDX VEX (a BOM whose {@code vulnerabilities} carry an {@code analysis}) into
 * {@link VexStatement}s. CycloneDX analysis states are mapped onto OpenVEX's: {@code not_affected} and
 * {@code false_positive} to {@code not_affected}, {@code resolved*} to {@code fixed}, {@code exploitable} to
 * {@code affected}, {@code in_triage} to {@code under_investigation}.
 */
public final class VexParser {
    private static final Set<String> OPENVEX_STATUS = Set.of("not_affected", "affected", "fixed",
            "under_investigation");

    private VexParser() {
    }

    /** Parses one document; throws {@link VexException} if it is neither format or a statement is malformed. */
    public static List<VexStatement> parse(String name, byte[] bytes) {
        JsonNode doc;
        try {
            doc = Json.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new VexException(name + ": not JSON: " + e.getMessage());
        }
        if (doc.path("statements").isArray()) {
            return openVex(name, doc);
        }
        if ("CycloneDX".equals(doc.path("bomFormat").asText()) && doc.path("vulnerabilities").isArray()) {
            return cycloneDx(name, doc);
        }
        throw new VexException(name + ": neither an OpenVEX document nor a CycloneDX VEX BOM");
    }

    private static List<VexStatement> openVex(String name, JsonNode doc) {
        List<VexStatement> out = new ArrayList<>();
        int i = 0;
        for (JsonNode s : doc.path("statements")) {
            String where = name + "#statements[" + i++ + "]";
            List<String> ids = new ArrayList<>();
            JsonNode v = s.path("vulnerability");
            if (v.isTextual()) {
                ids.add(v.asText());
            } else {
                addText(ids, v.path("name"));
                addText(ids, v.path("@id"));
                v.path("aliases").forEach(a -> addText(ids, a));
            }
            List<String> products = new ArrayList<>();
            for (JsonNode p : s.path("products")) {
                if (p.isTextual()) {
                    products.add(p.asText());
                } else {
                    addText(products, p.path("@id"));
                    addText(products, p.path("identifiers").path("purl"));
                }
            }
            String status = s.path("status").asText();
            if (ids.isEmpty() || products.isEmpty() || !OPENVEX_STATUS.contains(status)) {
                throw new VexException(where + ": needs a vulnerability, products and a known status");
            }
            out.add(new VexStatement(ids, products, status, s.path("justification").asText(""),
                    s.path("impact_statement").asText(s.path("status_notes").asText("")), name));
        }
        return out;
    }

    private static List<VexStatement> cycloneDx(String name, JsonNode doc) {
        Map<String, String> purlByRef = new HashMap<>();
        collectComponents(doc.path("components"), purlByRef);
        JsonNode meta = doc.path("metadata").path("component");
        if (meta.has("bom-ref") && meta.has("purl")) {
            purlByRef.put(meta.path("bom-ref").asText(), meta.path("purl").asText());
        }
        List<VexStatement> out = new ArrayList<>();
        int i = 0;
        for (JsonNode v : doc.path("vulnerabilities")) {
            String where = name + "#vulnerabilities[" + i++ + "]";
            JsonNode analysis = v.path("analysis");
            if (!analysis.isObject()) {
                continue;
            }
            List<String> ids = new ArrayList<>();
            addText(ids, v.path("id"));
            v.path("references").forEach(r -> addText(ids, r.path("id")));
            List<String> products = new ArrayList<>();
            for (JsonNode a : v.path("affects")) {
                String ref = a.path("ref").asText();
                products.add(purlByRef.getOrDefault(ref, ref));
            }
            String status = switch (analysis.path("state").asText()) {
                case "not_affected", "false_positive" -> "not_affected";
                case "resolved", "resolved_with_pedigree" -> "fixed";
                case "exploitable" -> "affected";
                case "in_triage" -> "under_investigation";
                default -> throw new VexException(where + ": unknown analysis state '"
                        + analysis.path("state").asText() + "'");
            };
            if (ids.isEmpty() || products.isEmpty()) {
                throw new VexException(where + ": needs an id and affects");
            }
            String justification = analysis.path("justification").asText(
                    analysis.path("state").asText().equals("false_positive") ? "false_positive" : "");
            out.add(new VexStatement(ids, products, status, justification, analysis.path("detail").asText(""), name));
        }
        return out;
    }

    private static void collectComponents(JsonNode components, Map<String, String> purlByRef) {
        for (JsonNode c : components) {
            if (c.has("bom-ref") && c.has("purl")) {
                purlByRef.put(c.path("bom-ref").asText(), c.path("purl").asText());
            }
            collectComponents(c.path("components"), purlByRef);
        }
    }

    private static void addText(List<String> out, JsonNode n) {
        if (n.isTextual() && !n.asText().isBlank()) {
            out.add(n.asText());
        }
    }
}
