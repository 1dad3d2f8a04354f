package dev.portcullis.vulndb.version;

import java.util.regex.Pattern;

/** Debian's ordering ({@code dpkg --compare-versions}): epoch, upstream version and revision, {@code ~} before all. */
final class DpkgVersionScheme implements VersionScheme {
    private static final Pattern UPSTREAM = Pattern.compile("[0-9A-Za-z.+~:-]+");
    private static final Pattern REVISION = Pattern.compile("[0-9A-Za-z.+~]+");

    private record Parsed(long epoch, String upstream, String revision) {
    }

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
        Parsed x = parse(a);
        Parsed y = parse(b);
        int c = Long.compare(x.epoch, y.epoch);
        if (c != 0) {
            return c;
        }
        c = verrevcmp(x.upstream, y.upstream);
        return c != 0 ? c : verrevcmp(x.revision, y.revision);
    }

    private Parsed parse(String v) {
        if (v == null || v.isBlank() || v.length() > 256) {
            throw new InvalidVersionException(name(), String.valueOf(v), "empty or too long");
        }
        String s = v.strip();
        long epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty() || e.length() > 9 || !e.chars().allMatch(Character::isDigit)) {
                throw new InvalidVersionException(name(), v, "epoch is not a number");
            }
            epoch = Long.parseLong(e);
            s = s.substring(colon + 1);
        }
        String revision = "";
        int dash = s.lastIndexOf('-');
        if (dash >= 0) {
            revision = s.substring(dash + 1);
            s = s.substring(0, dash);
            if (!REVISION.matcher(revision).matches()) {
                throw new InvalidVersionException(name(), v, "invalid revision");
            }
        }
        if (s.isEmpty() || !UPSTREAM.matcher(s).matches()) {
            throw new InvalidVersionException(name(), v, "invalid upstream version");
        }
        if (!Character.isDigit(s.charAt(0))) {
            throw new InvalidVersionException(name(), v, "upstream version must start with a digit");
        }
        return new Parsed(epoch, s, revision);
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
