package dev.portcullis.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The duration spelling of policy documents: a whole number and one unit, {@code d}, {@code h}, {@code m} or {@code s}. */
final class Durations {
    private static final Pattern SPELLING = Pattern.compile("([0-9]{1,6})([dhms])");

    private Durations() {
    }

    /** The duration {@code text} spells, or null when it is not a positive duration in the document spelling. */
    static Duration parse(String text) {
        Matcher m = SPELLING.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        return d.isZero() ? null : d;
    }

    /** The shortest spelling of {@code d} that {@link #parse} reads back to the same duration. */
    static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
