package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** Whether a keyword starts with these two lower-cased bytes; and the keywords that do. */
    private final boolean[] firstBigrams = new boolean[1 << 16];
    private final Map<Integer, List<byte[]>> keywordsByBigram = new HashMap<>();

    TextScanner(List<SecretRule> rules, SecretRule generic) {
        this.rules = List.copyOf(rules);
        this.generic = generic;
        Set<String> all = new LinkedHashSet<>(generic.keywords());
        rules.forEach(r -> all.addAll(r.keywords()));
        List<byte[]> keywords = new ArrayList<>(all.stream().map(k -> k.getBytes(StandardCharsets.UTF_8))
                .toList());
        keywords.add(PRIVATE_KEY);
        for (byte[] k : keywords) {
            int bigram = (k[0] & 0xff) << 8 | (k[1] & 0xff);
            firstBigrams[bigram] = true;
            keywordsByBigram.computeIfAbsent(bigram, x -> new ArrayList<>()).add(k);
        }
    }

    static TextScanner defaults() {
        return new TextScanner(SecretRules.fileRules(), SecretRules.genericAssignment());
    }

    /**
     * A whole text file. One pass over the bytes looks for the rules' keywords through a table of their first two
     * (lower-cased) bytes; only lines holding a keyword are decoded and matched against the rules, since most
     * lines of most files hold none. Private keys, which span lines, are looked for only in files that mention
     * one.
     */
    void scan(String path, byte[] bytes, int length, Consumer<Hit> out) {
        int lineStart = 0;
        int lineNo = 1;
        boolean candidate = false;
        boolean privateKey = false;
        for (int i = 0; i < length; i++) {
            byte c = bytes[i];
            if (c == '\n') {
                if (candidate) {
                    scanLine(path, line(bytes, lineStart, i), lineNo, true, out);
                }
                candidate = false;
                lineNo++;
                lineStart = i + 1;
            } else if ((!candidate || !privateKey) && i + 1 < length && firstBigrams[bigram(c, bytes[i + 1])]) {
                // past the first keyword of a line, only a private key marker still matters (it spans lines)
                byte[] k = keywordAt(bytes, i, length);
                if (k != null) {
                    candidate = true;
                    privateKey |= k == PRIVATE_KEY;
                }
            }
        }
        if (candidate) {
            scanLine(path, line(bytes, lineStart, length), lineNo, true, out);
        }
        if (privateKey) {
            PrivateKeys.find(lines(new String(bytes, 0, length, StandardCharsets.UTF_8)), k -> out.accept(
                    new Hit(k.ruleId(), k.severity(), "private key", k.line(), k.marker(),
                            fingerprint(path + ":" + k.line()))));
        }
    }

    private static final byte[] PRIVATE_KEY = "private key".getBytes(StandardCharsets.US_ASCII);

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b & 0xff;
    }

    private static int bigram(byte a, byte b) {
        return lower(a) << 8 | lower(b);
    }

    /** The keyword that starts at {@code i}, compared without case, or null. */
    private byte[] keywordAt(byte[] bytes, int i, int length) {
        for (byte[] k : keywordsByBigram.get(bigram(bytes[i], bytes[i + 1]))) {
            if (i + k.length <= length) {
                int j = 2;
                while (j < k.length && lower(bytes[i + j]) == k[j]) {
                    j++;
                }
                if (j == k.length) {
                    return k;
                }
            }
        }
        return null;
    }

    /** Lower-cases ASCII letters only: keywords are ASCII, and other text keeps its length. */
    static String asciiLowerCase(String text) {
        char[] c = text.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }

    private static String line(byte[] bytes, int from, int to) {
        int end = Math.min(to, from + MAX_LINE);
        if (end > from && bytes[end - 1] == '\r') {
            end--;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /**
     * One line (or one configuration value); returns whether anything matched. {@code withGeneric} adds the
     * high-entropy assignment rule when no specific rule matched.
     */
    boolean scanLine(String path, String text, int lineNo, boolean withGeneric, Consumer<Hit> out) {
        String line = text.length() > MAX_LINE ? text.substring(0, MAX_LINE) : text;
        String lower = asciiLowerCase(line);
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
        if (m.matches() && generic.mayMatch(m.group(1).toLowerCase(Locale.ROOT))
                && (!m.group(2).isEmpty() || SecretRules.isConfigFile(path))) {
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
