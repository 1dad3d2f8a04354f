package dev.portcullis.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.policy.ExceptionUse;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * SARIF 2.1.0: one run of the gate over the image. Each advisory, secret rule and misconfiguration check is a rule;
 * each finding, secret and misconfiguration is a result whose level is what the verdict made of it ({@code error}:
 * it rejects, {@code warning}: a warn rule fired, {@code note}: no rule fired). A finding an exception accepted is
 * an {@code error} with an external suppression naming the exception, as SARIF viewers expect.
 */
final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private SarifReport() {
    }

    static byte[] render(VerdictReport r) {
        ObjectNode root = Json.object();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "portcullis");
        if (!r.provenance().scannerVersion().isEmpty()) {
            driver.put("version", r.provenance().scannerVersion());
        }
        Map<String, ObjectNode> rules = new TreeMap<>();
        ArrayNode results = Json.mapper().createArrayNode();
        Map<String, String> paths = r.packagePaths();
        for (FindingFacts f : r.findingsBySeverity()) {
            rules.computeIfAbsent(f.id(), id -> rule(id, f.id() + " in " + f.packageName(), f.severity(),
                    "vulnerability", f.cvssScore()));
            String fix = f.fixAvailable() ? "; fixed in " + String.join(", ", f.fixedVersions()) : "; no fix yet";
            ObjectNode res = result(r, f.id(), f.packagePurl(), f.id() + ": " + f.packageName() + " "
                    + f.packageVersion() + fix);
            location(res, paths.getOrDefault(f.packagePurl(), ""), 0, f.packagePurl());
            ObjectNode props = res.putObject("properties");
            props.put("severity", JsonReport.severity(f.severity()));
            props.put("packagePurl", f.packagePurl());
            props.put("installedVersion", f.packageVersion());
            ArrayNode fixed = props.putArray("fixedVersions");
            f.fixedVersions().forEach(fixed::add);
            props.put("layer", JsonReport.layer(f.layerDigest()));
            results.add(res);
        }
        for (SecretFacts s : r.subject().secrets()) {
            rules.computeIfAbsent(s.ruleId(), id -> rule(id, s.title(), s.severity(), "secret", null));
            ObjectNode res = result(r, s.ruleId(), "", s.title() + " in " + s.path());
            location(res, s.path(), s.line(), "");
            res.putObject("properties").put("layer", JsonReport.layer(s.layerDigest()));
            results.add(res);
        }
        for (MisconfigFacts m : r.subject().misconfigurations()) {
            rules.computeIfAbsent(m.id(), id -> rule(id, m.title(), m.severity(), "misconfiguration", null));
            ObjectNode res = result(r, m.id(), "", m.title() + (m.where().isEmpty() ? "" : " (" + m.where() + ")"));
            location(res, "", 0, m.where());
            results.add(res);
        }
        ArrayNode ruleArray = driver.putArray("rules");
        rules.values().forEach(ruleArray::add);
        ObjectNode props = run.putObject("properties");
        props.put("repository", r.repository());
        props.put("digest", r.digest().toString());
        props.put("decision", r.verdict().decision().name().toLowerCase(java.util.Locale.ROOT));
        run.set("results", results);
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a JSON tree cannot fail", e);
        }
    }

    private static ObjectNode rule(String id, String title, Severity severity, String kind, Double score) {
        ObjectNode rule = Json.object();
        rule.put("id", id);
        rule.putObject("shortDescription").put("text", title);
        rule.putObject("defaultConfiguration").put("level", level(severity));
        ObjectNode props = rule.putObject("properties");
        props.putArray("tags").add(kind);
        if (score != null) {
            // GitHub code scanning ranks results by this property.
            props.put("security-severity", String.format(java.util.Locale.ROOT, "%.1f", score));
        }
        return rule;
    }

    private static ObjectNode result(VerdictReport r, String item, String purl, String text) {
        ObjectNode res = Json.object();
        res.put("ruleId", item);
        VerdictReport.Status status = r.status(item, purl);
        res.put("level", switch (status) {
            case REJECTS, EXCEPTED -> "error";
            case WARNS -> "warning";
            case NONE -> "note";
        });
        Optional<Reason> why = reasonFor(r, item, purl);
        res.putObject("message").put("text", text + why.map(w -> " — " + w.rule() + ": " + w.message()).orElse(""));
        if (status == VerdictReport.Status.EXCEPTED) {
            for (ExceptionUse u : r.verdict().exceptionsUsed()) {
                if (u.covered().item().equals(item)) {
                    ObjectNode s = res.putArray("suppressions").addObject();
                    s.put("kind", "external");
                    s.put("status", "accepted");
                    s.put("justification", "exception " + u.exceptionId() + " for " + u.advisory() + " until "
                            + u.expiresAt());
                    break;
                }
            }
        }
        return res;
    }

    private static Optional<Reason> reasonFor(VerdictReport r, String item, String purl) {
        return java.util.stream.Stream.concat(r.verdict().rejections().stream(), r.verdict().warnings().stream())
                .filter(x -> x.item().equals(item) && (purl.isEmpty() || x.packagePurl().isEmpty()
                        || x.packagePurl().equals(purl)))
                .findFirst();
    }

    private static void location(ObjectNode res, String path, int line, String logical) {
        if (path.isEmpty() && logical.isEmpty()) {
            return;
        }
        ObjectNode location = res.putArray("locations").addObject();
        if (!path.isEmpty()) {
            ObjectNode physical = location.putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", uri(path));
            if (line > 0) {
                physical.putObject("region").put("startLine", line);
            }
        }
        if (!logical.isEmpty()) {
            location.putArray("logicalLocations").addObject().put("fullyQualifiedName", logical);
        }
    }

    /** A path inside the image as a relative URI reference: percent-encodes what a URI may not hold. */
    static String uri(String path) {
        StringBuilder b = new StringBuilder();
        for (byte c : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int u = c & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "-._~/!$&'()*+,;=:@".indexOf(u) >= 0) {
                b.append((char) u);
            } else {
                b.append('%').append(String.format("%02X", u));
            }
        }
        return b.toString();
    }

    static String level(Severity s) {
        return switch (s) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, UNKNOWN -> "note";
        };
    }
}
