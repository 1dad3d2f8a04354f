package dev.portcullis.vulndb.version;

import java.util.regex.Pattern;

/** Debian's ordering ({@code dpkg --compare-versions}): epoch, upstream version and revision, {@code ~} before all. */
final class DpkgVersionScheme implements VersionScheme {
    private static final Pattern UPSTREAM = Pattern.compile("[0-9A-Za-z.+~:-]+");
    private static final Pattern REVISION = Pattern.compile("[0-9A-Za-z.+~]+");

    @Override
    public String name() {
        return "dpkg";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        return parse(a).compareTo(parse(b), DpkgVersionScheme::verrevcmp);
    }

    private EpochVersionRelease parse(String v) {
        EpochVersionRelease p = EpochVersionRelease.split(name(), v);
        boolean hasRevision = v.strip().indexOf('-') >= 0;
        if (hasRevision && !REVISION.matcher(p.release()).matches()) {
            throw new InvalidVersionException(name(), v, "invalid revision");
        }
        if (p.version().isEmpty() || !UPSTREAM.matcher(p.version()).matches()) {
            throw new InvalidVersionException(name(), v, "invalid upstream version");
        }
        if (!Character.isDigit(p.version().charAt(0))) {
            throw new InvalidVersionException(name(), v, "upstream version must start with a digit");
        }
        return p;
    }

    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    /** The algorithm of dpkg's lib/dpkg/version.c: alternate non-digit and digit runs. */
    private static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) {
                    return Integer.compare(ac, bc);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }
}
