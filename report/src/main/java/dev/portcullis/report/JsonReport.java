package dev.portcullis.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.policy.BreakGlass;
import dev.portcullis.policy.ExceptionUse;
import dev.portcullis.policy.Reason;
import dev.portcullis.policy.Verdict;
import dev.portcullis.policy.model.DatabaseFacts;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import dev.portcullis.policy.model.MisconfigFacts;
import dev.portcullis.policy.model.SecretFacts;
import dev.portcullis.policy.model.Severity;
import dev.portcullis.policy.model.UnevaluableFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON report, version {@value #SCHEMA_VERSION}, as {@code docs/schemas/verdict-report.schema.json} describes it.
 * Its {@code verdict} and {@code findings} parts are also the API's view of an image ({@link #verdict},
 * {@link #findings}), so the API and the report read the same.
 */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;

    private JsonReport() {
    }

    static byte[] render(VerdictReport r) {
        try {
            byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(tree(r));
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a JSON tree cannot fail", e);
        }
    }

    /** The whole report as a tree. */
    public static ObjectNode tree(VerdictReport r) {
        ObjectNode root = Json.object();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.set("image", image(r));
        root.set("verdict", verdict(r.verdict()));
        root.set("provenance", provenance(r));
        root.set("summary", summary(r));
        root.set("findings", findings(r));
        ArrayNode secrets = root.putArray("secrets");
        for (SecretFacts s : r.subject().secrets()) {
            ObjectNode n = secrets.addObject();
            n.put("ruleId", s.ruleId());
            n.put("severity", severity(s.severity()));
            n.put("title", s.title());
            n.put("path", s.path());
            n.put("line", s.line());
            n.put("layer", layer(s.layerDigest()));
            n.put("status", r.status(s.ruleId(), "").wire());
        }
        ArrayNode misconfigurations = root.putArray("misconfigurations");
        for (MisconfigFacts m : r.subject().misconfigurations()) {
            ObjectNode n = misconfigurations.addObject();
            n.put("id", m.id());
            n.put("severity", severity(m.severity()));
            n.put("title", m.title());
            n.put("where", m.where());
            n.put("status", r.status(m.id(), "").wire());
        }
        ArrayNode unevaluable = root.putArray("unevaluable");
        for (UnevaluableFacts u : r.subject().unevaluable()) {
            ObjectNode n = unevaluable.addObject();
            n.put("purl", u.packagePurl());
            n.put("name", u.packageName());
            n.put("version", u.packageVersion());
            n.put("reason", u.reason().name().toLowerCase(Locale.ROOT));
            n.put("firstParty", u.firstParty());
            n.put("status", r.status(u.packagePurl(), "").wire());
        }
        ArrayNode layers = root.putArray("layers");
        for (VerdictReport.Layer l : r.layers()) {
            ObjectNode n = layers.addObject();
            n.put("digest", l.digest().toString());
            if (l.size() >= 0) {
                n.put("size", l.size());
            }
            n.put("createdBy", l.createdBy());
        }
        return root;
    }

    private static ObjectNode image(VerdictReport r) {
        ImageFacts i = r.subject().image();
        ObjectNode n = Json.object();
        n.put("repository", r.repository());
        if (r.tag() != null) {
            n.put("tag", r.tag());
        }
        n.put("digest", r.digest().toString());
        n.put("team", i.team());
        n.put("platform", i.platform());
        n.put("state", r.state());
        n.put("os", (i.os().name() + " " + i.os().version()).strip());
        n.put("osEndOfLife", i.os().endOfLife());
        n.put("complete", i.complete());
        return n;
    }

    /** A verdict: the decision, every reason, the exceptions and break-glass it used, the policy versions. */
    public static ObjectNode verdict(Verdict v) {
        ObjectNode n = Json.object();
        n.put("decision", v.decision().name().toLowerCase(Locale.ROOT));
        n.put("policyDecision", v.policyDecision().name().toLowerCase(Locale.ROOT));
        n.put("evaluatedAt", v.evaluatedAt().toString());
        ObjectNode versions = n.putObject("policyVersions");
        new TreeMap<>(v.policyVersions()).forEach(versions::put);
        n.set("rejections", reasons(v.rejections()));
        n.set("warnings", reasons(v.warnings()));
        ArrayNode used = n.putArray("exceptionsUsed");
        for (ExceptionUse u : v.exceptionsUsed()) {
            ObjectNode e = used.addObject();
            e.put("exceptionId", u.exceptionId());
            e.put("advisory", u.advisory());
            e.put("expiresAt", u.expiresAt().toString());
            e.set("covered", reason(u.covered()));
        }
        BreakGlass b = v.breakGlass();
        if (b == null) {
            n.putNull("breakGlass");
        } else {
            ObjectNode g = n.putObject("breakGlass");
            g.put("digest", b.digest().toString());
            g.put("reason", b.reason());
            g.put("ticket", b.ticket());
            g.put("grantedBy", b.grantedBy());
            g.put("grantedAt", b.grantedAt().toString());
            g.put("until", b.until().toString());
        }
        return n;
    }

    private static ArrayNode reasons(List<Reason> reasons) {
        ArrayNode a = Json.mapper().createArrayNode();
        reasons.forEach(r -> a.add(reason(r)));
        return a;
    }

    /** One reason, as the verdict lists it. */
    public static ObjectNode reason(Reason r) {
        ObjectNode n = Json.object();
        n.put("rule", r.rule());
        n.put("owner", r.owner());
        n.put("action", r.action().yamlName());
        n.put("resource", r.resource().yamlName());
        n.put("message", r.message());
        n.put("item", r.item());
        strings(n.putArray("aliases"), r.aliases());
        n.put("packageName", r.packageName());
        n.put("packagePurl", r.packagePurl());
        n.put("installedVersion", r.installedVersion());
        n.put("layerDigest", r.layerDigest());
        n.put("layerCreatedBy", r.layerCreatedBy());
        strings(n.putArray("fixedVersions"), r.fixedVersions());
        n.put("detail", r.detail());
        if (r.evaluationError() == null) {
            n.putNull("evaluationError");
        } else {
            n.put("evaluationError", r.evaluationError());
        }
        return n;
    }

    private static ObjectNode provenance(VerdictReport r) {
        ObjectNode n = Json.object();
        n.put("scannerVersion", r.provenance().scannerVersion());
        n.put("analyzerFingerprint", r.provenance().analyzerFingerprint());
        DatabaseFacts db = r.subject().database();
        ObjectNode d = n.putObject("database");
        d.put("present", db.present());
        d.put("snapshot", db.snapshot());
        putInstant(d, "importedAt", db.importedAt());
        return n;
    }

    private static ObjectNode summary(VerdictReport r) {
        ObjectNode n = Json.object();
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        int fixable = 0;
        for (FindingFacts f : r.subject().findings()) {
            counts.merge(f.severity(), 1, Integer::sum);
            fixable += f.fixAvailable() ? 1 : 0;
        }
        ObjectNode bySeverity = n.putObject("findingsBySeverity");
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)) {
            bySeverity.put(severity(s), counts.get(s));
        }
        n.put("findings", r.subject().findings().size());
        n.put("fixable", fixable);
        n.put("packages", r.subject().packages().size());
        n.put("secrets", r.subject().secrets().size());
        n.put("misconfigurations", r.subject().misconfigurations().size());
        n.put("unevaluable", r.subject().unevaluable().size());
        n.put("rejections", r.verdict().rejections().size());
        n.put("warnings", r.verdict().warnings().size());
        n.put("exceptionsUsed", r.verdict().exceptionsUsed().size());
        return n;
    }

    /** The findings, most severe first, each with what fixes it and how the verdict treats it. */
    public static ArrayNode findings(VerdictReport r) {
        ArrayNode a = Json.mapper().createArrayNode();
        for (FindingFacts f : r.findingsBySeverity()) {
            ObjectNode n = a.addObject();
            n.put("id", f.id());
            strings(n.putArray("aliases"), f.aliases());
            n.put("severity", severity(f.severity()));
            if (f.cvssScore() == null) {
                n.putNull("cvssScore");
            } else {
                n.put("cvssScore", f.cvssScore());
            }
            n.put("cvssVector", f.cvssVector() == null ? "" : f.cvssVector());
            n.put("fixAvailable", f.fixAvailable());
            strings(n.putArray("fixedVersions"), f.fixedVersions());
            putInstant(n, "published", f.published());
            n.put("packageName", f.packageName());
            n.put("packageVersion", f.packageVersion());
            n.put("packagePurl", f.packagePurl());
            n.put("layerDigest", f.layerDigest() == null ? "" : f.layerDigest().toString());
            n.put("layerCreatedBy", f.layerCreatedBy());
            n.put("feed", f.feed());
            n.put("status", r.status(f.id(), f.packagePurl()).wire());
        }
        return a;
    }

    static String severity(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void putInstant(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, t.toString());
        }
    }

    /** For formats that name a layer: its digest, or empty. */
    static String layer(Digest d) {
        return d == null ? "" : d.toString();
    }
}
