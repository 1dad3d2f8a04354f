package dev.portcullis.scanner.analyzer;

import dev.portcullis.oci.Digest;

/**
 * An exposed secret. {@code redacted} shows at most a short prefix of the match followed by asterisks: the
 * secret itself is never stored or printed. {@code layer} is null for secrets in the image configuration, in
 * which case {@code path} names the config field (e.g. {@code config.Env[AWS_ACCESS_KEY_ID]}).
 */
public record SecretFinding(String ruleId, Severity severity, String title, Digest layer, String path, int line,
                            String redacted) {
}
