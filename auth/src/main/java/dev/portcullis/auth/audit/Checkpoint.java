package dev.portcullis.auth.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.oci.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed anchor of the audit chain: "entry {@code seq} had hash {@code entryHash} at {@code at}; the checkpoint
 * before this one anchored entry {@code previous}, and checkpoints were due every {@code every} entries". A
 * checkpoint makes truncation and wholesale rewriting of the chain detectable, since re-signing needs the checkpoint
 * key, which lives outside the database; naming its predecessor and the schedule makes a deleted checkpoint
 * detectable too. The latest one is the log's signed head, which third parties keep outside the database.
 *
 * @param previous  sequence number the previous checkpoint anchored, 0 for the first
 * @param every     the entry interval in force when it was signed; 0 marks a checkpoint of the first format, which
 *                  signed neither this nor {@code previous}
 * @param signature compact JWS (ES256) over {@link #payload()}
 */
public record Checkpoint(long seq, String entryHash, Instant at, long previous, int every, String kid,
                         String signature) {
    public Checkpoint {
        // Whatever a row or an export says is kept as it is: the verifier, not the reader, names what is wrong.
        if (entryHash == null || at == null || kid == null || signature == null) {
            throw new Json.JsonFormatException("a checkpoint has a sequence number, entry hash, time, key id and"
                    + " signature");
        }
    }

    /** A checkpoint as first written, before checkpoints named their predecessor. */
    public boolean legacy() {
        return every == 0;
    }

    public static byte[] payload(long seq, String entryHash, Instant at, long previous, int every) {
        String text = every == 0
                ? "portcullis-audit-checkpoint\n" + seq + "\n" + entryHash + "\n" + at
                : "portcullis-audit-checkpoint-v2\n" + seq + "\n" + entryHash + "\n" + at + "\n" + previous + "\n"
                        + every;
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] payload() {
        return payload(seq, entryHash, at, previous, every);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", "checkpoint");
        o.put("seq", seq);
        o.put("entryHash", entryHash);
        o.put("at", at.toString());
        if (!legacy()) {
            o.put("previous", previous);
            o.put("every", every);
        }
        o.put("kid", kid);
        o.put("signature", signature);
        return o;
    }

    public static Checkpoint fromJson(JsonNode o) {
        if (!o.path("seq").canConvertToLong() || !o.path("seq").isIntegralNumber()) {
            throw new Json.JsonFormatException("checkpoint seq must be a whole number");
        }
        return new Checkpoint(o.path("seq").asLong(), AuditEntry.text(o, "entryHash"),
                Instant.parse(AuditEntry.text(o, "at")), o.path("previous").asLong(0), o.path("every").asInt(0),
                AuditEntry.text(o, "kid"), AuditEntry.text(o, "signature"));
    }
}
