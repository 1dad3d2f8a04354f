package dev.portcullis.auth;

import java.util.regex.Pattern;

/**
 * A glob over repository names: {@code *} matches within one path component, {@code **} across components.
 * Used for robot scopes and the anonymous-pull setting.
 *
 * @param glob the pattern as written
 */
public record RepositoryPattern(String glob) {
    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9._/*-]{1,255}");

    public RepositoryPattern {
        if (glob == null || !ALLOWED.matcher(glob).matches()) {
            throw new AuthException(AuthException.Reason.INVALID, "repository pattern '" + glob + "' may contain only"
                    + " lower-case letters, digits, '.', '_', '-', '/' and the wildcards * and **");
        }
    }

    public boolean matches(String repository) {
        return regex().matcher(repository).matches();
    }

    private Pattern regex() {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i++;
                } else {
                    re.append("[^/]*");
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
