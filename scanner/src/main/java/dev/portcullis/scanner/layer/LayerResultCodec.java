package dev.portcullis.scanner.layer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.portcullis.oci.Digest;
import dev.portcullis.oci.Json;
import dev.portcullis.scanner.analyzer.Ecosystem;
import dev.portcullis.scanner.analyzer.Misconfiguration;
import dev.portcullis.scanner.analyzer.OsInfo;
import dev.portcullis.scanner.analyzer.Package;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Severity;
import dev.portcullis.scanner.analyzer.Unreadable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The on-disk form of a {@link LayerResult} for {@link LayerCache}. */
final class LayerResultCodec {
    private LayerResultCodec() {
    }

    static byte[] encode(LayerResult r) {
        ObjectNode root = Json.object();
        root.put("layer", r.layer().toString());
        ArrayNode pkgs = root.putArray("packages");
        for (Package p : r.packages()) {
            ObjectNode n = pkgs.addObject();
            n.put("ecosystem", p.ecosystem().name());
            n.put("name", p.name());
            n.put("version", p.version());
            n.put("purl", p.purl().canonicalize());
            n.put("layer", p.layer().toString());
            n.put("path", p.path());
            if (p.source() != null) {
                n.put("sourceName", p.source().name());
                n.put("sourceVersion", p.source().version());
            }
            p.licenses().forEach(n.putArray("licenses")::add);
            ObjectNode props = n.putObject("properties");
            p.properties().forEach(props::put);
        }
        ArrayNode os = root.putArray("os");
        for (OsInfo o : r.os()) {
            os.addObject().put("id", o.id()).put("versionId", o.versionId()).put("codename", o.codename())
                    .put("prettyName", o.prettyName()).put("path", o.path())
                    .put("endOfLife", o.endOfLife() == null ? null : o.endOfLife().toString());
        }
        ArrayNode mis = root.putArray("misconfigurations");
        for (Misconfiguration m : r.misconfigurations()) {
            mis.addObject().put("id", m.id()).put("severity", m.severity().name()).put("title", m.title())
                    .put("where", m.where()).put("detail", m.detail()).put("cis", m.cisReference());
        }
        ArrayNode sec = root.putArray("secrets");
        for (SecretFinding s : r.secrets()) {
            sec.addObject().put("rule", s.ruleId()).put("severity", s.severity().name()).put("title", s.title())
                    .put("layer", s.layer() == null ? null : s.layer().toString()).put("path", s.path())
                    .put("line", s.line()).put("redacted", s.redacted());
        }
        strings(root.putArray("files"), r.files());
        strings(root.putArray("whiteouts"), r.whiteouts());
        strings(root.putArray("opaqueDirs"), r.opaqueDirs());
        root.put("entries", r.entries());
        root.put("bytes", r.bytes());
        return Json.write(root);
    }

    static LayerResult decode(byte[] bytes) {
        JsonNode root = Json.parse(bytes);
        List<Package> packages = list(root.path("packages"), n -> new Package(
                Ecosystem.valueOf(n.path("ecosystem").asText()), n.path("name").asText(),
                n.path("version").asText(), purl(n.path("purl").asText()), Digest.parse(n.path("layer").asText()),
                n.path("path").asText(),
                n.hasNonNull("sourceName")
                        ? new Package.Source(n.path("sourceName").asText(), text(n, "sourceVersion")) : null,
                list(n.path("licenses"), JsonNode::asText), map(n.path("properties"))));
        List<OsInfo> os = list(root.path("os"), n -> new OsInfo(text(n, "id"), text(n, "versionId"),
                text(n, "codename"), text(n, "prettyName"), text(n, "path"),
                n.hasNonNull("endOfLife") ? LocalDate.parse(n.path("endOfLife").asText()) : null));
        List<Misconfiguration> mis = list(root.path("misconfigurations"), n -> new Misconfiguration(text(n, "id"),
                Severity.valueOf(text(n, "severity")), text(n, "title"), text(n, "where"), text(n, "detail"),
                text(n, "cis")));
        List<SecretFinding> sec = list(root.path("secrets"), n -> new SecretFinding(text(n, "rule"),
                Severity.valueOf(text(n, "severity")), text(n, "title"),
                n.hasNonNull("layer") ? Digest.parse(text(n, "layer")) : null, text(n, "path"),
                n.path("line").asInt(), text(n, "redacted")));
        return new LayerResult(Digest.parse(root.path("layer").asText()), packages, os, mis, sec, List.<Unreadable>of(),
                set(root.path("files")), set(root.path("whiteouts")), set(root.path("opaqueDirs")),
                root.path("entries").asLong(), root.path("bytes").asLong());
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        new TreeSet<>(values).forEach(array::add);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }

    private static Set<String> set(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static PackageURL purl(String s) {
        try {
            return new PackageURL(s);
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException("cached purl is invalid: " + e.getMessage(), e);
        }
    }
}
