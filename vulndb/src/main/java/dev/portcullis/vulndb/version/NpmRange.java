package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An npm version range ({@code node-semver} syntax): {@code ||} alternatives of space-separated comparators, with
 * hyphen ranges, {@code ~}, {@code ^}, x-ranges and partial versions. As in npm, a pre-release version is only in a
 * range if a comparator of the same alternative names a pre-release of the same {@code major.minor.patch}.
 */
public final class NpmRange {
    private static final Pattern PARTIAL = Pattern.compile(
            "[v=]?(\\d+|[xX*])(?:\\.(\\d+|[xX*]))?(?:\\.(\\d+|[xX*]))?"
                    + "(?:-?([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");
    private static final Pattern COMPARATOR = Pattern.compile("(<=|>=|<|>|=|~>|~|\\^)?(.+)");
    private static final SemVer ZERO = new SemVer(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, List.of(), "");

    private enum Op { LT, LE, GT, GE, EQ }

    private record Comparator(Op op, SemVer version) {
        boolean test(SemVer v) {
            int c = v.compareTo(version);
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case EQ -> c == 0;
            };
        }
    }

    /** A partially given version; a null part is a wildcard. */
    private record Partial(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre) {
        SemVer floor() {
            return new SemVer(orZero(major), orZero(minor), orZero(patch), pre, "");
        }
    }

    private final String text;
    private final List<List<Comparator>> alternatives;

    private NpmRange(String text, List<List<Comparator>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /** Parses a range, throwing {@link InvalidVersionException} with the reason if it is not one. */
    public static NpmRange parse(String range) {
        if (range == null || range.length() > 1024) {
            throw new InvalidVersionException("npm-range", String.valueOf(range), "empty or too long");
        }
        List<List<Comparator>> alternatives = new ArrayList<>();
        for (String alternative : range.split("\\|\\|", -1)) {
            alternatives.add(parseAlternative(range, alternative.strip()));
        }
        return new NpmRange(range, List.copyOf(alternatives));
    }

    /** Whether {@code version} (a semantic version) is in this range. */
    public boolean contains(String version) {
        SemVer v = SemVer.parseLoose("semver", version);
        for (List<Comparator> set : alternatives) {
            if (set.stream().allMatch(c -> c.test(v)) && preReleaseAllowed(set, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean preReleaseAllowed(List<Comparator> set, SemVer v) {
        if (!v.isPrerelease()) {
            return true;
        }
        return set.stream().anyMatch(c -> c.version.isPrerelease() && c.version.sameCore(v));
    }

    private static List<Comparator> parseAlternative(String range, String s) {
        List<Comparator> out = new ArrayList<>();
        if (s.isEmpty()) {
            out.add(new Comparator(Op.GE, ZERO));
            return out;
        }
        Matcher hyphen = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)").matcher(s);
        if (hyphen.matches()) {
            Partial from = partial(range, hyphen.group(1));
            Partial to = partial(range, hyphen.group(2));
            out.add(new Comparator(Op.GE, from.floor()));
            addUpper(out, to, true);
            return out;
        }
        // "> 1.2" is one comparator: glue operators to their operand first
        for (String token : s.replaceAll("(<=|>=|<|>|=|~>|~|\\^)\\s+", "$1").split("\\s+")) {
            Matcher m = COMPARATOR.matcher(token);
            if (!m.matches()) {
                throw new InvalidVersionException("npm-range", range, "'" + token + "' is not a comparator");
            }
            String op = m.group(1) == null ? "" : m.group(1);
            Partial p = partial(range, m.group(2));
            expand(out, op, p);
        }
        return out;
    }

    private static void expand(List<Comparator> out, String op, Partial p) {
        SemVer floor = p.floor();
        switch (op) {
            case "", "=" -> {
                if (p.major == null) {
                    out.add(new Comparator(Op.GE, ZERO));
                } else if (p.minor == null || p.patch == null) {
                    out.add(new Comparator(Op.GE, floor));
                    addUpper(out, p, true);
                } else {
                    out.add(new Comparator(Op.EQ, floor));
                }
            }
            case "~", "~>" -> {
                out.add(new Comparator(Op.GE, floor));
                if (p.major != null) {
                    out.add(new Comparator(Op.LT, p.minor == null
                            ? core(p.major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO)
                            : core(p.major, p.minor.add(BigInteger.ONE), BigInteger.ZERO)));
                }
            }
            case "^" -> {
                out.add(new Comparator(Op.GE, floor));
                if (p.major == null) {
                    return;
                }
                SemVer upper;
                if (p.major.signum() > 0 || p.minor == null) {
                    upper = core(p.major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO);
                } else if (p.minor.signum() > 0 || p.patch == null) {
                    upper = core(p.major, p.minor.add(BigInteger.ONE), BigInteger.ZERO);
                } else {
                    upper = core(p.major, p.minor, p.patch.add(BigInteger.ONE));
                }
                out.add(new Comparator(Op.LT, upper));
            }
            case ">" -> {
                if (p.major == null) {
                    out.add(new Comparator(Op.LT, ZERO));
                } else if (p.minor == null) {
                    out.add(new Comparator(Op.GE, core(p.major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO)));
                } else if (p.patch == null) {
                    out.add(new Comparator(Op.GE, core(p.major, p.minor.add(BigInteger.ONE), BigInteger.ZERO)));
                } else {
                    out.add(new Comparator(Op.GT, floor));
                }
            }
            case ">=" -> out.add(new Comparator(Op.GE, floor));
            case "<" -> out.add(new Comparator(Op.LT, p.major == null ? ZERO
                    : p.minor == null || p.patch == null ? withPreZero(floor) : floor));
            case "<=" -> {
                if (p.major == null) {
                    out.add(new Comparator(Op.GE, ZERO));
                } else {
                    addUpper(out, p, true);
                }
            }
            default -> throw new IllegalStateException("operator " + op);
        }
    }

    /** Upper bound of a partial: {@code <=1.2.3}, or below the next release for {@code 1.2} / {@code 1}. */
    private static void addUpper(List<Comparator> out, Partial p, boolean inclusive) {
        if (p.major == null) {
            return;
        }
        if (p.minor == null) {
            out.add(new Comparator(Op.LT, core(p.major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO)));
        } else if (p.patch == null) {
            out.add(new Comparator(Op.LT, core(p.major, p.minor.add(BigInteger.ONE), BigInteger.ZERO)));
        } else {
            out.add(new Comparator(inclusive ? Op.LE : Op.LT, p.floor()));
        }
    }

    /** {@code X.Y.Z-0}: the lowest version of that release, so pre-releases of the bound stay outside. */
    private static SemVer core(BigInteger major, BigInteger minor, BigInteger patch) {
        return new SemVer(major, minor, patch, List.of("0"), "");
    }

    private static SemVer withPreZero(SemVer v) {
        return v.isPrerelease() ? v : new SemVer(v.major(), v.minor(), v.patch(), List.of("0"), "");
    }

    private static BigInteger orZero(BigInteger b) {
        return b == null ? BigInteger.ZERO : b;
    }

    private static Partial partial(String range, String s) {
        Matcher m = PARTIAL.matcher(s);
        if (!m.matches()) {
            throw new InvalidVersionException("npm-range", range, "'" + s + "' is not a version");
        }
        BigInteger major = number(m.group(1));
        BigInteger minor = major == null ? null : number(m.group(2));
        BigInteger patch = minor == null ? null : number(m.group(3));
        List<String> pre = patch == null || m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return new Partial(major, minor, patch, pre);
    }

    private static BigInteger number(String s) {
        return s == null || s.equalsIgnoreCase("x") || s.equals("*") ? null : new BigInteger(s);
    }

    @Override
    public String toString() {
        return text;
    }
}
