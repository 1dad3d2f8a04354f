package dev.portcullis.scanner.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SARIF 2.1.0 for misconfigurations and secrets, for code-scanning dashboards. One run per scanned platform;
 * each distinct rule id becomes a rule, each finding a result located at the file (and line) or at the
 * configuration field it concerns. Secrets carry only their redacted match.
 */
public final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private final Tool tool;

    public SarifReport(Tool tool) {
        this.tool = tool;
    }

    public void write(List<ScanResult> results, OutputStream out) throws IOException {
        ObjectNode root = Json.object();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ArrayNode runs = root.putArray("runs");
        for (ScanResult r : results) {
            runs.add(run(r));
        }
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        out.write('\n');
    }

    private ObjectNode run(ScanResult r) {
        ObjectNode run = Json.object();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", tool.name()).put("version", tool.version());
        Map<String, ObjectNode> rules = new TreeMap<>();
        ArrayNode results = Json.mapper().createArrayNode();
        for (Misconfiguration m : r.misconfigurations()) {
            rules.computeIfAbsent(m.id(), id -> rule(id, m.title(), m.severity(), "misconfiguration",
                    m.cisReference()));
            ObjectNode res = result(m.id(), m.severity(), m.title() + (m.detail() == null ? "" : ": " + m.detail()));
            location(res, m.where(), 0);
            results.add(res);
        }
        for (SecretFinding s : r.secrets()) {
            rules.computeIfAbsent(s.ruleId(), id -> rule(id, s.title(), s.severity(), "secret", null));
            ObjectNode res = result(s.ruleId(), s.severity(), s.title() + ": " + s.redacted());
            location(res, s.path(), s.line());
            if (s.layer() != null) {
                res.putObject("properties").put("layer", s.layer().toString());
            }
            results.add(res);
        }
        ArrayNode ruleArray = driver.putArray("rules");
        rules.values().forEach(ruleArray::add);
        run.putObject("properties").put("image", r.reference()).put("platform", r.platform())
                .put("complete", r.complete());
        run.set("results", results);
        return run;
    }

    private static ObjectNode rule(String id, String title, Severity severity, String kind, String cis) {
        ObjectNode rule = Json.object();
        rule.put("id", id);
        rule.putObject("shortDescription").put("text", title);
        rule.putObject("defaultConfiguration").put("level", level(severity));
        ObjectNode props = rule.putObject("properties");
        ArrayNode tags = props.putArray("tags");
        tags.add(kind);
        if (cis != null) {
            tags.add("CIS-Docker-" + cis);
        }
        return rule;
    }

    private static ObjectNode result(String ruleId, Severity severity, String message) {
        ObjectNode res = Json.object();
        res.put("ruleId", ruleId);
        res.put("level", level(severity));
        res.putObject("message").put("text", message);
        return res;
    }

    private static void location(ObjectNode res, String where, int line) {
        if (where == null || where.isEmpty()) {
            return;
        }
        ObjectNode physical = res.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", where.replace(" ", "%20"));
        if (line > 0) {
            physical.putObject("region").put("startLine", line);
        }
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }
}
