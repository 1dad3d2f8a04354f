package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Semantic Versioning 2.0 version; build metadata is kept but never ordered. */
record SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> pre, String build)
        implements Comparable<SemVer> {
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    /** One to three numeric components; what advisory data and npm's loose parser accept ({@code 1.0}). */
    private static final Pattern LOOSE = Pattern.compile(
            "[v=]?\\s*(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?"
                    + "(?:-?([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

    SemVer {
        pre = List.copyOf(pre);
    }

    static SemVer parseStrict(String scheme, String v) {
        if (v == null || v.length() > 256) {
            throw new InvalidVersionException(scheme, String.valueOf(v), "empty or too long");
        }
        Matcher m = STRICT.matcher(v);
        if (!m.matches()) {
            throw new InvalidVersionException(scheme, v, "not a semantic version MAJOR.MINOR.PATCH[-pre][+build]");
        }
        return of(m);
    }

    static SemVer parseLoose(String scheme, String v) {
        if (v == null || v.length() > 256) {
            throw new InvalidVersionException(scheme, String.valueOf(v), "empty or too long");
        }
        Matcher m = LOOSE.matcher(v.strip());
        if (!m.matches()) {
            throw new InvalidVersionException(scheme, v, "not a semantic version");
        }
        return of(m);
    }

    private static SemVer of(Matcher m) {
        return new SemVer(new BigInteger(m.group(1)),
                m.group(2) == null ? BigInteger.ZERO : new BigInteger(m.group(2)),
                m.group(3) == null ? BigInteger.ZERO : new BigInteger(m.group(3)),
                m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.")),
                m.group(5) == null ? "" : m.group(5));
    }

    boolean isPrerelease() {
        return !pre.isEmpty();
    }

    boolean sameCore(SemVer o) {
        return major.equals(o.major) && minor.equals(o.minor) && patch.equals(o.patch);
    }

    @Override
    public int compareTo(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return Integer.signum(c);
        }
        if (pre.isEmpty() || o.pre.isEmpty()) {
            return pre.isEmpty() == o.pre.isEmpty() ? 0 : pre.isEmpty() ? 1 : -1;
        }
        return comparePre(pre, o.pre);
    }

    /** Dot-separated identifiers: numeric ones numerically and below alphanumeric ones; a longer list wins ties. */
    static int comparePre(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean xn = !x.isEmpty() && x.chars().allMatch(Character::isDigit);
            boolean yn = !y.isEmpty() && y.chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (xn != yn) {
                c = xn ? -1 : 1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (pre.isEmpty() ? "" : "-" + String.join(".", pre));
    }
}
