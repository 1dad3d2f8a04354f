package dev.portcullis.vulndb.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import dev.portcullis.vulndb.model.Advisory;
import dev.portcullis.vulndb.model.Affected;
import dev.portcullis.vulndb.model.Range;
import dev.portcullis.vulndb.model.Severity;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** The stored form of an advisory (also used in bundles): compact JSON with a fixed field order. */
public final class AdvisoryCodec {
    private AdvisoryCodec() {
    }

    public static ObjectNode encode(Advisory a) {
        ObjectNode o = Json.object();
        o.put("feed", a.feed()).put("id", a.id());
        ArrayNode aliases = o.putArray("aliases");
        a.aliases().forEach(aliases::add);
        o.put("summary", a.summary());
        ObjectNode sev = o.putObject("severity");
        sev.put("rating", a.severity().rating());
        ArrayNode cvss = sev.putArray("cvss");
        for (Severity.Cvss c : a.severity().cvss()) {
            ObjectNode n = cvss.addObject().put("version", c.version()).put("vector", c.vector());
            if (!Double.isNaN(c.baseScore())) {
                n.put("score", c.baseScore());
            }
        }
        if (a.published() != null) {
            o.put("published", a.published().toString());
        }
        if (a.modified() != null) {
            o.put("modified", a.modified().toString());
        }
        o.put("source", a.sourceFile());
        ArrayNode affected = o.putArray("affected");
        for (Affected af : a.affected()) {
            ObjectNode n = affected.addObject().put("ecosystem", af.ecosystem()).put("name", af.name());
            if (!af.note().isEmpty()) {
                n.put("note", af.note());
            }
            ArrayNode ranges = n.putArray("ranges");
            for (Range r : af.ranges()) {
                ObjectNode rn = ranges.addObject().put("type", r.type());
                ArrayNode events = rn.putArray("events");
                r.events().forEach(e -> events.addObject().put(e.kind().osvName(), e.version()));
            }
            ArrayNode versions = n.putArray("versions");
            af.versions().forEach(versions::add);
        }
        return o;
    }

    public static byte[] bytes(Advisory a) {
        return Json.write(encode(a));
    }

    public static String hash(byte[] encoded) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Largest stored document accepted when inflating (the JSON parser bounds what is inside). */
    static final int MAX_DOCUMENT = 64 * 1024 * 1024;

    /** The stored form: the encoded JSON, deflated. */
    public static byte[] deflate(byte[] json) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(json);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** The JSON of a stored document. */
    public static byte[] inflate(byte[] stored) {
        Inflater i = new Inflater();
        try {
            i.setInput(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(stored.length * 4);
            byte[] buf = new byte[8192];
            while (!i.finished()) {
                int n = i.inflate(buf);
                if (n == 0 && (i.needsInput() || i.needsDictionary())) {
                    throw new IllegalStateException("truncated advisory document");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_DOCUMENT) {
                    throw new IllegalStateException("advisory document larger than " + MAX_DOCUMENT + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt advisory document: " + e.getMessage(), e);
        } finally {
            i.end();
        }
    }

    /** Decodes a stored (deflated) document. */
    public static Advisory decodeStored(byte[] stored) {
        return decode(Json.parse(inflate(stored)));
    }

    /**
     * A stored time, null when absent (documents written before the field was carried) or unreadable: a bad date in
     * one stored document must not make the advisory, and every image it affects, unmatchable.
     */
    private static Instant instant(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(v.textValue());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static Advisory decode(JsonNode o) {
        List<String> aliases = new ArrayList<>();
        o.path("aliases").forEach(n -> aliases.add(n.asText()));
        List<Severity.Cvss> cvss = new ArrayList<>();
        for (JsonNode c : o.path("severity").path("cvss")) {
            cvss.add(new Severity.Cvss(c.path("version").asText(), c.path("vector").asText(),
                    c.has("score") ? c.path("score").asDouble() : Double.NaN));
        }
        List<Affected> affected = new ArrayList<>();
        for (JsonNode n : o.path("affected")) {
            List<Range> ranges = new ArrayList<>();
            for (JsonNode r : n.path("ranges")) {
                List<Range.Event> events = new ArrayList<>();
                for (JsonNode e : r.path("events")) {
                    String field = e.fieldNames().next();
                    Range.Kind kind = switch (field) {
                        case "introduced" -> Range.Kind.INTRODUCED;
                        case "fixed" -> Range.Kind.FIXED;
                        case "last_affected" -> Range.Kind.LAST_AFFECTED;
                        case "limit" -> Range.Kind.LIMIT;
                        default -> throw new IllegalArgumentException("unknown event " + field);
                    };
                    events.add(new Range.Event(kind, e.path(field).asText()));
                }
                ranges.add(new Range(r.path("type").asText(), events));
            }
            List<String> versions = new ArrayList<>();
            n.path("versions").forEach(v -> versions.add(v.asText()));
            affected.add(new Affected(n.path("ecosystem").asText(), n.path("name").asText(), ranges, versions,
                    n.path("note").asText("")));
        }
        return new Advisory(o.path("feed").asText(), o.path("id").asText(), aliases, o.path("summary").asText(""),
                new Severity(cvss, o.path("severity").path("rating").asText("")),
                instant(o, "published"), instant(o, "modified"),
                o.path("source").asText(""), affected);
    }
}
