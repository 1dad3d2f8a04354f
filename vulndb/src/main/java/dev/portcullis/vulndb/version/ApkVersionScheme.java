package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine's apk ordering: dotted numbers, an optional letter, suffixes ({@code _alpha < _beta < _pre < _rc <} none
 * {@code < _cvs < _svn < _git < _hg < _p}, each with an optional number), an optional {@code ~hash} and the
 * package release {@code -rN}.
 */
final class ApkVersionScheme implements VersionScheme {
    private static final Pattern VERSION = Pattern.compile(
            "(\\d+(?:\\.\\d+)*)([a-z])?((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\\d*)*)(~[0-9a-f]+)?(?:-r(\\d+))?");
    private static final Pattern SUFFIX = Pattern.compile("_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\\d*)");
    /** Rank of a suffix; 0 is "no suffix", pre-releases are below it. */
    private static final Map<String, Integer> RANK = Map.of(
            "alpha", -4, "beta", -3, "pre", -2, "rc", -1, "cvs", 1, "svn", 2, "git", 3, "hg", 4, "p", 5);

    private record Suffix(int rank, BigInteger number) {
    }

    private record Parsed(List<String> numbers, int letter, List<Suffix> suffixes, BigInteger release) {
    }

    @Override
    public String name() {
        return "apk";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        Parsed x = parse(a);
        Parsed y = parse(b);
        int n = Math.max(x.numbers.size(), y.numbers.size());
        for (int i = 0; i < n; i++) {
            if (i >= x.numbers.size()) {
                return -1;
            }
            if (i >= y.numbers.size()) {
                return 1;
            }
            int c = compareNumber(x.numbers.get(i), y.numbers.get(i), i == 0);
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(x.letter, y.letter);
        if (c != 0) {
            return c;
        }
        int m = Math.max(x.suffixes.size(), y.suffixes.size());
        for (int i = 0; i < m; i++) {
            Suffix s = i < x.suffixes.size() ? x.suffixes.get(i) : new Suffix(0, BigInteger.ZERO);
            Suffix t = i < y.suffixes.size() ? y.suffixes.get(i) : new Suffix(0, BigInteger.ZERO);
            c = Integer.compare(s.rank, t.rank);
            if (c == 0) {
                c = s.number.compareTo(t.number);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.signum(x.release.compareTo(y.release));
    }

    /** apk compares components after the first with a leading zero as decimal fractions ("1.02" < "1.1"). */
    private static int compareNumber(String a, String b, boolean first) {
        if (!first && (a.startsWith("0") || b.startsWith("0"))) {
            return Integer.signum(a.compareTo(b));
        }
        return Integer.signum(new BigInteger(a).compareTo(new BigInteger(b)));
    }

    private Parsed parse(String v) {
        if (v == null || v.length() > 256) {
            throw new InvalidVersionException(name(), String.valueOf(v), "empty or too long");
        }
        Matcher m = VERSION.matcher(v.strip());
        if (!m.matches()) {
            throw new InvalidVersionException(name(), v, "not an apk version");
        }
        List<String> numbers = List.of(m.group(1).split("\\."));
        int letter = m.group(2) == null ? 0 : m.group(2).charAt(0);
        List<Suffix> suffixes = new ArrayList<>();
        Matcher s = SUFFIX.matcher(m.group(3));
        while (s.find()) {
            suffixes.add(new Suffix(RANK.get(s.group(1)),
                    s.group(2).isEmpty() ? BigInteger.ZERO : new BigInteger(s.group(2))));
        }
        BigInteger release = m.group(5) == null ? BigInteger.ZERO : new BigInteger(m.group(5));
        return new Parsed(numbers, letter, suffixes, release);
    }
}
