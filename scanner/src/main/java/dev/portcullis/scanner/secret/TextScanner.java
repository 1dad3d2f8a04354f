package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Finds secrets in lines of text. Per line, each specific rule reports each distinct secret once; the generic
 * high-entropy assignment rule runs only on lines where no specific rule matched. Hits carry a redacted form and
 * a SHA-256 fingerprint of the secret (for de-duplication), never the secret.
 */
final class TextScanner {
    static final int MAX_LINE = 16 * 1024;

    /**
     * @param line        1-based line, 0 when the text is not from a file
     * @param fingerprint SHA-256 of the secret, to recognise the same secret in two places
     */
    record Hit(String ruleId, Severity severity, String title, int line, String redacted, String fingerprint) {
    }

    private final List<SecretRule> rules;
    private final SecretRule generic;

    TextScanner(List<SecretRule> rules, SecretRule generic) {
        this.rules = List.copyOf(rules);
        this.generic = generic;
    }

    static TextScanner defaults() {
        return new TextScanner(SecretRules.fileRules(), SecretRules.genericAssignment());
    }

    void scan(String path, List<String> lines, Consumer<Hit> out) {
        PrivateKeys.find(lines, k -> out.accept(new Hit(k.ruleId(), k.severity(), "private key", k.line(),
                k.marker(), fingerprint(path + ":" + k.line()))));
        for (int i = 0; i < lines.size(); i++) {
            scanLine(path, lines.get(i), i + 1, true, out);
        }
    }

    /**
     * One line (or one configuration value); returns whether anything matched. {@code withGeneric} adds the
     * high-entropy assignment rule when no specific rule matched.
     */
    boolean scanLine(String path, String text, int lineNo, boolean withGeneric, Consumer<Hit> out) {
        String line = text.length() > MAX_LINE ? text.substring(0, MAX_LINE) : text;
        String lower = line.toLowerCase(Locale.ROOT);
        Set<String> seen = new HashSet<>();
        for (SecretRule rule : rules) {
            if (!rule.mayMatch(lower) || !rule.paths().test(path)) {
                continue;
            }
            Matcher m = rule.pattern().matcher(line);
            while (m.find()) {
                String secret = m.group(rule.secretGroup());
                if (SecretRules.ALLOWED_VALUE.matcher(secret).matches()) {
                    continue;
                }
                String fp = fingerprint(secret);
                if (seen.add(rule.id() + fp) && seen.add(fp)) {
                    out.accept(new Hit(rule.id(), rule.severity(), rule.title(), lineNo, Redaction.redact(secret),
                            fp));
                }
            }
        }
        if (!seen.isEmpty() || !withGeneric || !generic.mayMatch(lower)) {
            return !seen.isEmpty();
        }
        Matcher m = generic.pattern().matcher(line);
        if (m.find() && (!m.group(2).isEmpty() || SecretRules.isConfigFile(path))) {
            String secret = m.group(generic.secretGroup());
            if (!SecretRules.ALLOWED_VALUE.matcher(secret).matches()
                    && Entropy.bitsPerChar(secret) >= Entropy.SECRET_THRESHOLD) {
                out.accept(new Hit(generic.id(), generic.severity(), generic.title(), lineNo,
                        Redaction.redact(secret), fingerprint(secret)));
                return true;
            }
        }
        return false;
    }

    static String fingerprint(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\r?\n", -1)));
    }
}
