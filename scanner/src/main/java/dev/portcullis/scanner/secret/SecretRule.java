package dev.portcullis.scanner.secret;

import dev.portcullis.scanner.analyzer.Severity;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One kind of secret: a pattern whose group {@code secretGroup} is the secret itself, lower-case keywords of which
 * at least one must occur in a line before the pattern is tried (cheap pre-filter), and the files it applies to.
 */
record SecretRule(String id, Severity severity, String title, Pattern pattern, int secretGroup,
                  List<String> keywords, Predicate<String> paths) {

    SecretRule {
        keywords = List.copyOf(keywords);
        if (keywords.stream().anyMatch(k -> !k.equals(k.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("keywords are matched against lower-cased text: " + keywords);
        }
    }

    static SecretRule anywhere(String id, Severity severity, String title, String regex, int group,
                               String... keywords) {
        return new SecretRule(id, severity, title, Pattern.compile(regex), group, List.of(keywords), p -> true);
    }

    /** True when one of the keywords occurs in {@code lowerCased}. */
    boolean mayMatch(String lowerCased) {
        for (String k : keywords) {
            if (lowerCased.contains(k)) {
                return true;
            }
        }
        return false;
    }
}
