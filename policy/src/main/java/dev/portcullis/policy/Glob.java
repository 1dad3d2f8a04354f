package dev.portcullis.policy;

import java.util.regex.Pattern;

/**
 * The patterns of exception scopes: {@code *} matches any run of characters except {@code /}, {@code **} any run
 * including {@code /}; every other character stands for itself (so a purl's {@code ?} and {@code @} are literal).
 */
record Glob(String text, Pattern pattern) {
    static Glob of(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a pattern must not be empty");
        }
        StringBuilder regex = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '*') {
                if (literalStart < i) {
                    regex.append(Pattern.quote(text.substring(literalStart, i)));
                }
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
                literalStart = i + 1;
            }
        }
        if (literalStart < text.length()) {
            regex.append(Pattern.quote(text.substring(literalStart)));
        }
        return new Glob(text, Pattern.compile(regex.toString()));
    }

    boolean matches(String value) {
        return pattern.matcher(value).matches();
    }
}
