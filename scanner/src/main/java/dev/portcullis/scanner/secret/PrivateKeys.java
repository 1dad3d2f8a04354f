package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Severity;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM and OpenSSH private keys. A {@code BEGIN ... PRIVATE KEY} line counts only when base64 key material follows
 * (after optional {@code Proc-Type}/{@code DEK-Info} headers): a parser constant or documentation mentioning the
 * header is not a key.
 */
final class PrivateKeys {
    private static final Pattern BEGIN = Pattern.compile(
            "-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----");
    private static final Pattern BODY = Pattern.compile("[A-Za-z0-9+/=]{16,}");
    private static final int MAX_HEADER_LINES = 4;

    /** Rule id, severity and title by PEM label. */
    private static final Map<String, String> IDS = Map.of(
            "RSA PRIVATE KEY", "private-key-rsa-pem",
            "EC PRIVATE KEY", "private-key-ec-pem",
            "DSA PRIVATE KEY", "private-key-dsa-pem",
            "OPENSSH PRIVATE KEY", "private-key-openssh",
            "PRIVATE KEY", "private-key-pkcs8",
            "ENCRYPTED PRIVATE KEY", "private-key-encrypted",
            "PGP PRIVATE KEY BLOCK", "private-key-pgp");

    /** A key found: rule id, severity, 1-based line of the BEGIN marker, and the marker (what a report shows). */
    record Found(String ruleId, Severity severity, int line, String marker) {
    }

    private PrivateKeys() {
    }

    static void find(List<String> lines, Consumer<Found> out) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.contains("PRIVATE KEY")) {
                continue;
            }
            Matcher m = BEGIN.matcher(line);
            if (m.find() && followedByKeyMaterial(lines, i + 1)) {
                String label = m.group(1);
                out.accept(new Found(IDS.get(label),
                        label.startsWith("ENCRYPTED") ? Severity.MEDIUM : Severity.HIGH, i + 1, m.group()));
            }
        }
    }

    private static boolean followedByKeyMaterial(List<String> lines, int from) {
        for (int j = from; j < lines.size() && j <= from + MAX_HEADER_LINES; j++) {
            String l = lines.get(j).trim();
            if (l.isEmpty() || l.contains(":")) {
                continue; // PEM headers such as Proc-Type: 4,ENCRYPTED
            }
            return BODY.matcher(l).matches();
        }
        return false;
    }
}
