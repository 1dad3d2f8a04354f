package dev.portcullis.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.policy.model.Subject;

/**
 * The JSON forms of subjects, documents and verdicts (the schema is in {@code docs/policy.md}). Written and read
 * through Jackson's tree model, field by field, like every codec of Portcullis: no data binding over our types.
 * Reading throws {@link dev.portcullis.oci.Json.JsonFormatException} naming the first field that is wrong.
 */
public final class PolicyJson {
    private PolicyJson() {
    }

    public static JsonNode subject(Subject subject) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static Subject readSubject(JsonNode json) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static JsonNode verdict(Verdict verdict) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static Verdict readVerdict(JsonNode json) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static JsonNode document(PolicyDocument document) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    /** Reads a document from JSON and validates it as {@link PolicyDocuments#parse} does (conditions type-checked). */
    public static PolicyDocument readDocument(JsonNode json) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static JsonNode exceptionGrant(ExceptionGrant grant) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static ExceptionGrant readExceptionGrant(JsonNode json) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static JsonNode breakGlass(BreakGlass breakGlass) {
        throw new UnsupportedOperationException("lands with the codecs");
    }

    public static BreakGlass readBreakGlass(JsonNode json) {
        throw new UnsupportedOperationException("lands with the codecs");
    }
}
