package dev.portcullis.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes as configuration writes it: a whole number with a binary unit ({@code 512MiB}, {@code 64GiB}).
 * Parsed strictly and printed canonically in the largest unit that is exact, so a size read back prints as written.
 *
 * @param bytes the amount, never negative
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    /** Units from the largest down, so that {@link #toString()} finds the largest exact one first. */
    private static final String[] UNITS = {"TiB", "GiB", "MiB", "KiB"};
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DECIMAL_UNIT = Pattern.compile("(?i)\\d+\\s*(k|m|g|t)b?|\\d+\\s*(kib|mib|gib|tib)");

    /** What a size looks like, for messages. */
    public static final String FORM_TEXT = "a whole number with a unit B, KiB, MiB, GiB or TiB, such as 512MiB";

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size must not be negative, got " + bytes);
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofMiB(long n) {
        return new DataSize(Math.multiplyExact(n, 1L << 20));
    }

    public static DataSize ofGiB(long n) {
        return new DataSize(Math.multiplyExact(n, 1L << 30));
    }

    /**
     * Reads {@code 512MiB}, {@code 4 GiB}, {@code 100B}, or a bare {@code 0}. A bare number other than 0 is refused:
     * whether {@code 1024} meant bytes or kibibytes is exactly the kind of guess configuration must not make.
     *
     * @throws IllegalArgumentException naming what was wrong, and the form expected
     */
    public static DataSize parse(String text) {
        String t = text.strip();
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            if (DECIMAL_UNIT.matcher(t).matches()) {
                throw new IllegalArgumentException("'" + text + "' has a unit Portcullis does not read: units are"
                        + " binary and spelled B, KiB, MiB, GiB, TiB (1MiB = 1024KiB)");
            }
            throw new IllegalArgumentException("'" + text + "' is not " + FORM_TEXT);
        }
        if (m.group(2) == null && !m.group(1).matches("0+")) {
            throw new IllegalArgumentException("'" + text + "' has no unit: write " + t + "B for bytes, or use KiB, MiB,"
                    + " GiB or TiB");
        }
        int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        try {
            return new DataSize(Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is larger than any size this server can use");
        }
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The canonical form: the largest unit that divides the amount exactly ({@code 640MiB}, {@code 1000B}). */
    @Override
    public String toString() {
        if (bytes == 0) {
            return "0B";
        }
        for (int i = 0; i < UNITS.length; i++) {
            int shift = 40 - 10 * i;
            if ((bytes & ((1L << shift) - 1)) == 0) {
                return (bytes >> shift) + UNITS[i];
            }
        }
        return bytes + "B";
    }
}
