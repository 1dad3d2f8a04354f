package dev.portcullis.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unit and valid range of a configuration value: how its text is read (strictly: {@code sixteen} is not a number
 * and {@code 12 parsecs} is not a size), how it prints (canonically, for the reference and for defaults), and how it
 * is described to someone who wrote it wrong.
 *
 * @param label  placeholder in flag help ({@code SIZE}, {@code FILE}); empty for an on/off switch, which takes none
 * @param form   what a valid value looks like, for the configuration reference and error messages
 * @param parser reads the text; throws {@link IllegalArgumentException} saying what is wrong with it
 * @param printer the canonical text of a value, which {@code parser} reads back to the same value
 * @param secret the value is never printed: not in messages, not in the reference
 * @param <T>    the value's type
 */
public record ConfigType<T>(String label, String form, Function<String, T> parser, Function<T, String> printer,
                            boolean secret) {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    /**
     * The longest duration read anywhere: 100 years. Longer ones are typos, and would overflow the clock arithmetic
     * they feed ({@code now - grace} is before the first instant Java can represent).
     */
    static final Duration MAX_DURATION = Duration.ofHours(876_600);

    public static final ConfigType<Boolean> BOOLEAN = new ConfigType<>("", "true or false", ConfigType::bool,
            String::valueOf, false);

    public T parse(String text) {
        return parser.apply(text);
    }

    public String print(T value) {
        return printer.apply(value);
    }

    /** A flag of this type is given alone ({@code --dev}), not followed by a value. */
    public boolean isSwitch() {
        return label.isEmpty();
    }

    /** A size of at least {@code min} and at most {@code max}. */
    public static ConfigType<DataSize> size(DataSize min, DataSize max) {
        return new ConfigType<>("SIZE", "size from " + min + " to " + max + ", such as 512MiB", text -> {
            DataSize s = DataSize.parse(text);
            if (s.compareTo(min) < 0 || s.compareTo(max) > 0) {
                throw new IllegalArgumentException("'" + text + "' is outside " + min + " to " + max);
            }
            return s;
        }, DataSize::toString, false);
    }

    /** A duration from {@code min} to {@code max}. */
    public static ConfigType<Duration> duration(Duration min, Duration max) {
        return new ConfigType<>("DURATION", "duration from " + printDuration(min) + " to " + printDuration(max)
                + ", such as 30s, 5m, 500ms", text -> {
            Duration d = parseDuration(text);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException("'" + text + "' is outside " + printDuration(min) + " to "
                        + printDuration(max));
            }
            return d;
        }, ConfigType::printDuration, false);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ConfigType<Integer> integer(int min, int max) {
        return new ConfigType<>("N", "whole number from " + min + " to " + max, text -> {
            int n;
            try {
                n = Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(n + " is outside " + min + " to " + max);
            }
            return n;
        }, String::valueOf, false);
    }

    /** A file or directory; {@code label} says which ({@code FILE}, {@code DIR}). */
    public static ConfigType<Path> path(String label) {
        return new ConfigType<>(label, label.equals("DIR") ? "directory path" : "file path", text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("the path is empty");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
            }
        }, Path::toString, false);
    }

    /** Text matching {@code pattern}; {@code form} describes it ("a bucket name"). */
    public static ConfigType<String> text(String label, Pattern pattern, String form) {
        return new ConfigType<>(label, form, text -> {
            if (!pattern.matcher(text).matches()) {
                // The caller adds the form expected.
                throw new IllegalArgumentException("'" + text + "' is not valid");
            }
            return text;
        }, Function.identity(), false);
    }

    /** A password or key: any text that is not empty, never shown. */
    public static ConfigType<String> secretText() {
        return new ConfigType<>("SECRET", "secret text", text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("the value is empty");
            }
            return text;
        }, Function.identity(), true);
    }

    /** An absolute http or https URL. */
    public static ConfigType<URI> httpUrl() {
        String form = "http:// or https:// URL, such as https://s3.example.com";
        return new ConfigType<>("URL", form, text -> {
            try {
                URI uri = new URI(text);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw new IllegalArgumentException("'" + text + "' is not an " + form);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' is not an " + form + ": " + e.getReason());
            }
        }, URI::toString, false);
    }

    /** Reads {@code 30s}, {@code 5m}, {@code 500ms}, {@code 2h}, {@code 30d}: a whole number and a unit. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 5m or 500ms"
                    + " (units ms, s, m, h, d)");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than any duration this server can use (at"
                    + " most 876600h, 100 years)");
        }
        return d;
    }

    /** The canonical text of a duration: the largest unit that is exact ({@code 5m}, {@code 90s}, {@code 0s}). */
    public static String printDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s == 0 || s % 60 != 0) {
            return s + "s";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        return s % 3600 == 0 ? s / 3600 + "h" : s / 60 + "m";
    }

    private static boolean bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }
}
