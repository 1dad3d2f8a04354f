package dev.portcullis.scanner.secret;

import dev.portcullis.oci.Digest;
import dev.portcullis.scanner.analyzer.SecretFinding;
import dev.portcullis.scanner.analyzer.Sink;

/**
 * The secret rules applied to the bytes of one text file wherever it was found: a layer file, or an entry of an
 * archive (a Spring Boot jar's {@code application.properties}). Binary content (a NUL byte in the first 8 KiB)
 * is not searched.
 */
public final class SecretText {
    public static final int MAX_BYTES = 1024 * 1024;
    private static final int BINARY_PROBE = 8192;

    private final TextScanner scanner = TextScanner.defaults();

    /** Reports the secrets in {@code bytes}, found at {@code path} of {@code layer}. */
    public void scan(Digest layer, String path, byte[] bytes, Sink sink) {
        for (int i = 0; i < Math.min(bytes.length, BINARY_PROBE); i++) {
            if (bytes[i] == 0) {
                return;
            }
        }
        scanner.scan(path, bytes, Math.min(bytes.length, MAX_BYTES), hit -> sink.secret(new SecretFinding(
                hit.ruleId(), hit.severity(), hit.title(), layer, path, hit.line(), hit.redacted())));
    }
}
