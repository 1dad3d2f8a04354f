package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;
import java.util.Objects;

/**
 * A secret found in a layer. The secret itself never enters the model: only where it is and which rule found it.
 *
 * @param ruleId the detector rule that matched
 * @param layerDigest the layer the file is in; null when the secret is in the image configuration (an environment
 *     variable, a history line), where {@code path} names the place (e.g. {@code config.Env AWS_SECRET_ACCESS_KEY})
 * @param path the file inside the layer, or the configuration field
 * @param line the 1-based line in the file, 0 when not line-based
 */
public record SecretFacts(String ruleId, Severity severity, String title, Digest layerDigest, String path, int line) {
    public SecretFacts {
        ImageFacts.requireText(ruleId, "ruleId");
        Objects.requireNonNull(severity, "severity");
        title = title == null ? "" : title;
        path = path == null ? "" : path;
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
    }
}
