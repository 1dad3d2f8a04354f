package dev.portcullis.scanner.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.ScanResult;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.TreeMap;

/**
 * Portcullis' own JSON report: for each scanned platform the image identity, the distribution, the layers,
 * the package inventory, misconfigurations, secrets and what could not be read. {@code complete} is false
 * whenever {@code unreadable} is not empty.
 */
public final class JsonReport {
    public static final String SCHEMA = "portcullis.scan/v1";

    public void write(List<ScanResult> results, OutputStream out) throws IOException {
        ObjectNode root = Json.object();
        root.put("schema", SCHEMA);
        ArrayNode array = root.putArray("results");
        results.forEach(r -> array.add(toJson(r)));
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        out.write('\n');
    }

    /** One result as a JSON object; the gate stores this next to the image. */
    public static ObjectNode toJson(ScanResult r) {
        ObjectNode n = Json.object();
        n.put("reference", r.reference());
        n.put("platform", r.platform());
        n.put("manifestDigest", r.manifestDigest() == null ? null : r.manifestDigest().toString());
        n.put("configDigest", r.configDigest().toString());
        n.put("scannedAt", r.scannedAt().toString());
        n.put("complete", r.complete());
        if (r.os() != null) {
            n.putObject("os").put("id", r.os().id()).put("versionId", r.os().versionId())
                    .put("codename", r.os().codename()).put("prettyName", r.os().prettyName())
                    .put("path", r.os().path())
                    .put("endOfLife", r.os().endOfLife() == null ? null : r.os().endOfLife().toString());
        } else {
            n.putNull("os");
        }
        ArrayNode layers = n.putArray("layers");
        for (ScanResult.Layer l : r.layers()) {
            layers.addObject().put("digest", l.digest().toString()).put("mediaType", l.mediaType())
                    .put("size", l.size()).put("diffId", l.diffId() == null ? null : l.diffId().toString())
                    .put("createdBy", l.createdBy()).put("cached", l.cached());
        }
        ArrayNode packages = n.putArray("packages");
        for (Package p : r.packages()) {
            ObjectNode o = packages.addObject();
            o.put("ecosystem", p.ecosystem().purlType()).put("name", p.name()).put("version", p.version())
                    .put("purl", p.purl().canonicalize()).put("layer", p.layer().toString()).put("path", p.path());
            if (p.source() != null) {
                o.putObject("source").put("name", p.source().name()).put("version", p.source().version());
            }
            if (!p.licenses().isEmpty()) {
                p.licenses().forEach(o.putArray("licenses")::add);
            }
            if (!p.properties().isEmpty()) {
                ObjectNode props = o.putObject("properties");
                new TreeMap<>(p.properties()).forEach(props::put);
            }
        }
        ArrayNode mis = n.putArray("misconfigurations");
        for (Misconfiguration m : r.misconfigurations()) {
            mis.addObject().put("id", m.id()).put("severity", m.severity().name()).put("title", m.title())
                    .put("where", m.where()).put("detail", m.detail()).put("cis", m.cisReference());
        }
        ArrayNode secrets = n.putArray("secrets");
        for (SecretFinding s : r.secrets()) {
            secrets.addObject().put("rule", s.ruleId()).put("severity", s.severity().name()).put("title", s.title())
                    .put("layer", s.layer() == null ? null : s.layer().toString()).put("path", s.path())
                    .put("line", s.line()).put("match", s.redacted());
        }
        ArrayNode unreadable = n.putArray("unreadable");
        for (Unreadable u : r.unreadable()) {
            unreadable.addObject().put("layer", u.layer() == null ? null : u.layer().toString())
                    .put("path", u.path()).put("reason", u.reason());
        }
        return n;
    }
}
