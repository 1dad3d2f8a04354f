package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's PEP 440 ordering: epoch, release, pre-release ({@code a < b < rc}), post-release, dev-release, local
 * version; with the PEP's normalisations ({@code 1.0alpha1 == 1.0a1}, {@code 1.0 == 1.0.0}).
 */
final class Pep440VersionScheme implements VersionScheme {
    // the regular expression of PEP 440, appendix B
    private static final Pattern VERSION = Pattern.compile(
            "v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
                    + "(?<pre>[-_.]?(?<prel>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<pren>[0-9]+)?)?"
                    + "(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?"
                    + "(?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?"
                    + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    /** A sort key; {@code null} parts use the PEP's infinities as described at each comparison. */
    private record Key(BigInteger epoch, List<BigInteger> release, int preKind, BigInteger preNumber,
                       BigInteger post, BigInteger dev, List<String> local) {
    }

    @Override
    public String name() {
        return "pep440";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        Key x = parse(a);
        Key y = parse(b);
        int c = x.epoch.compareTo(y.epoch);
        if (c != 0) {
            return Integer.signum(c);
        }
        c = compareRelease(x.release, y.release);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(preRank(x), preRank(y));
        if (c != 0) {
            return c;
        }
        if (x.preKind > 0 && x.preKind < 4) {
            c = x.preNumber.compareTo(y.preNumber);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        c = compareNullLow(x.post, y.post);
        if (c != 0) {
            return c;
        }
        c = compareNullHigh(x.dev, y.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(x.local, y.local);
    }

    /** A dev release without pre or post sorts before any pre-release of the same release. */
    private static int preRank(Key k) {
        if (k.preKind == 0 && k.post == null && k.dev != null) {
            return -1;
        }
        return k.preKind == 0 ? 4 : k.preKind;
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private static int compareNullLow(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    private static int compareNullHigh(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == b ? 0 : a == null ? 1 : -1;
        }
        return Integer.signum(a.compareTo(b));
    }

    /** Local segments: absent < present; numeric segments sort after alphanumeric ones; shorter prefix first. */
    private static int compareLocal(List<String> a, List<String> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (i >= a.size()) {
                return -1;
            }
            if (i >= b.size()) {
                return 1;
            }
            String x = a.get(i);
            String y = b.get(i);
            boolean xn = x.chars().allMatch(Character::isDigit);
            boolean yn = y.chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (xn != yn) {
                c = xn ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private Key parse(String v) {
        if (v == null || v.length() > 256) {
            throw new InvalidVersionException(name(), String.valueOf(v), "empty or too long");
        }
        Matcher m = VERSION.matcher(v.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidVersionException(name(), v, "not a PEP 440 version");
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        int preKind = 0;
        BigInteger preNumber = BigInteger.ZERO;
        if (m.group("pre") != null) {
            preKind = switch (m.group("prel")) {
                case "a", "alpha" -> 1;
                case "b", "beta" -> 2;
                default -> 3;
            };
            preNumber = m.group("pren") == null ? BigInteger.ZERO : new BigInteger(m.group("pren"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            String n = m.group("postn1") != null ? m.group("postn1") : m.group("postn2");
            post = n == null ? BigInteger.ZERO : new BigInteger(n);
        }
        BigInteger dev = null;
        if (m.group("dev") != null) {
            dev = m.group("devn") == null ? BigInteger.ZERO : new BigInteger(m.group("devn"));
        }
        List<String> local = m.group("local") == null ? List.of() : List.of(m.group("local").split("[-_.]"));
        return new Key(epoch, release, preKind, preNumber, post, dev, local);
    }
}
