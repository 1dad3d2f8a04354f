package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NuGet's ordering: up to four numeric parts (missing ones are 0, so {@code 1.0 == 1.0.0.0}), a SemVer 2.0
 * pre-release compared case-insensitively, metadata ignored.
 */
final class NuGetVersionScheme implements VersionScheme {
    private static final Pattern VERSION = Pattern.compile(
            "(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");

    @Override
    public String name() {
        return "nuget";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        Matcher x = parse(a);
        Matcher y = parse(b);
        for (int i = 1; i <= 4; i++) {
            int c = number(x.group(i)).compareTo(number(y.group(i)));
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        String p = x.group(5);
        String q = y.group(5);
        if (p == null || q == null) {
            return p == q ? 0 : p == null ? 1 : -1;
        }
        return SemVer.comparePre(List.of(p.toLowerCase(Locale.ROOT).split("\\.")),
                List.of(q.toLowerCase(Locale.ROOT).split("\\.")));
    }

    private static BigInteger number(String s) {
        return s == null ? BigInteger.ZERO : new BigInteger(s);
    }

    private Matcher parse(String v) {
        if (v == null || v.length() > 256) {
            throw new InvalidVersionException(name(), String.valueOf(v), "empty or too long");
        }
        Matcher m = VERSION.matcher(v.strip());
        if (!m.matches()) {
            throw new InvalidVersionException(name(), v, "not a NuGet version");
        }
        return m;
    }
}
