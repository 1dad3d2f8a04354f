package dev.portcullis.scanner.secret;

/**
 * What a report may show of a secret: for long secrets a four-character prefix (enough to recognise a key id
 * format such as {@code AKIA}), otherwise nothing; never more than a quarter of the secret.
 */
final class Redaction {
    private Redaction() {
    }

    static String redact(String secret) {
        int shown = secret.length() >= 16 ? 4 : 0;
        return secret.substring(0, shown) + "*".repeat(Math.min(12, Math.max(4, secret.length() - shown)));
    }
}
