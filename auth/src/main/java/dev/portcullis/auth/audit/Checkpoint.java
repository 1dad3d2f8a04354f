package dev.portcullis.auth.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed anchor of the audit chain: "entry {@code seq} had hash {@code entryHash} at {@code at}". A checkpoint
 * makes truncation and wholesale rewriting of the chain detectable, since re-signing needs the checkpoint key,
 * which lives outside the database.
 *
 * @param signature compact JWS (ES256) over {@link #payload()}
 */
public record Checkpoint(long seq, String entryHash, Instant at, String kid, String signature) {

    public static byte[] payload(long seq, String entryHash, Instant at) {
        return ("portcullis-audit-checkpoint\n" + seq + "\n" + entryHash + "\n" + at).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] payload() {
        return payload(seq, entryHash, at);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", "checkpoint");
        o.put("seq", seq);
        o.put("entryHash", entryHash);
        o.put("at", at.toString());
        o.put("kid", kid);
        o.put("signature", signature);
        return o;
    }

    public static Checkpoint fromJson(JsonNode o) {
        return new Checkpoint(o.path("seq").asLong(), AuditEntry.text(o, "entryHash"),
                Instant.parse(AuditEntry.text(o, "at")), AuditEntry.text(o, "kid"), AuditEntry.text(o, "signature"));
    }
}
