package dev.portcullis.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        return compiled(glob).matcher(repository).matches();
    }

    /**
     * Globs compiled once: authorization checks match every scope of every token request against them. The globs
     * are what administrators stored (robot scopes, the anonymous-pull setting), so the map stays small; it is
     * emptied if it ever grows past {@code MAX_COMPILED} (globs of deleted robots).
     */
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_COMPILED = 10_000;

    private static Pattern compiled(String glob) {
        Pattern p = COMPILED.get(glob);
        if (p == null) {
            if (COMPILED.size() >= MAX_COMPILED) {
                COMPILED.clear();
            }
            p = COMPILED.computeIfAbsent(glob, RepositoryPattern::regex);
        }
        return p;
    }

    private static Pattern regex(String glob) {
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
