package dev.portcullis.auth.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One stored audit entry. {@code hash} is the SHA-256 of the canonical form, which includes {@code prevHash}: the
 * hash of the entry before it in the chain. The sequence number is storage order only and is left out of the
 * canonical form, so that a reordering shows up as a chain that no longer follows the storage order.
 */
public record AuditEntry(long seq, Instant at, AuditEvent event, String prevHash, String hash) {
    /** The {@code prevHash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** The canonical form: a JSON object with a fixed key order and no insignificant whitespace. */
    public static byte[] canonical(Instant at, AuditEvent e, String prevHash) {
        ObjectNode o = Json.object();
        o.put("at", at.toString());
        o.put("actor", e.actor());
        o.put("source", e.source());
        o.put("action", e.action());
        o.put("target", e.target());
        o.put("team", e.team());
        o.put("outcome", e.outcome());
        o.put("requestId", e.requestId());
        o.put("detail", e.detail());
        o.put("prev", prevHash);
        return Json.write(o);
    }

    public static String hashOf(Instant at, AuditEvent e, String prevHash) {
        return sha256(canonical(at, e, prevHash));
    }

    /** The hash this entry's content has now (differs from {@link #hash()} when the row was edited). */
    public String computedHash() {
        return hashOf(at, event, prevHash);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", "entry");
        o.put("seq", seq);
        o.put("at", at.toString());
        o.put("actor", event.actor());
        o.put("source", event.source());
        o.put("action", event.action());
        o.put("target", event.target());
        o.put("team", event.team());
        o.put("outcome", event.outcome());
        o.put("requestId", event.requestId());
        o.put("detail", event.detail());
        o.put("prev", prevHash);
        o.put("hash", hash);
        return o;
    }

    public static AuditEntry fromJson(JsonNode o) {
        return new AuditEntry(o.path("seq").asLong(), Instant.parse(text(o, "at")),
                new AuditEvent(text(o, "actor"), text(o, "source"), text(o, "action"), text(o, "target"),
                        text(o, "team"), text(o, "outcome"), text(o, "requestId"), text(o, "detail")),
                text(o, "prev"), text(o, "hash"));
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new Json.JsonFormatException("audit record lacks the text field '" + field + "'");
        }
        return n.asText();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
