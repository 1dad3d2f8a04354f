package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;
import java.util.Objects;

/**
 * A secret found in a layer. The secret itself never enters the model: only where it is and which rule found it.
 *
 * @param ruleId the detector rule that matched
 * @param line the 1-based line in the file, 0 when not line-based
 */
public record SecretFacts(String ruleId, Severity severity, String title, Digest layerDigest, String path, int line) {
    public SecretFacts {
        ImageFacts.requireText(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        title = title == null ? "" : title;
        Objects.requireNonNull(layerDigest, "layerDigest");
        path = path == null ? "" : path;
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
    }
}
