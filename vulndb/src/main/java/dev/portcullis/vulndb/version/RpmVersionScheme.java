package dev.portcullis.vulndb.version;

/** RPM's ordering: epoch, then {@code rpmvercmp} on version and release ({@code ~} sorts first, {@code ^} after end). */
final class RpmVersionScheme implements VersionScheme {

    @Override
    public String name() {
        return "rpm";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        // a missing release sorts first, so the order stays total (rpm's "match any release" is a query rule)
        return parse(a).compareTo(parse(b), RpmVersionScheme::rpmvercmp);
    }

    private EpochVersionRelease parse(String v) {
        EpochVersionRelease p = EpochVersionRelease.split(name(), v);
        if (p.version().isEmpty() || p.version().chars().anyMatch(ch -> Character.isWhitespace(ch) || ch == ':')) {
            throw new InvalidVersionException(name(), v, "invalid version part");
        }
        return p;
    }

    private static boolean alnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    /** rpmvercmp from rpm's rpmio/rpmvercmp.c. */
    static int rpmvercmp(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while (i < a.length() && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
                i++;
            }
            while (j < b.length() && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
                j++;
            }
            boolean at = i < a.length() && a.charAt(i) == '~';
            boolean bt = j < b.length() && b.charAt(j) == '~';
            if (at || bt) {
                if (!at) {
                    return 1;
                }
                if (!bt) {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            boolean ac = i < a.length() && a.charAt(i) == '^';
            boolean bc = j < b.length() && b.charAt(j) == '^';
            if (ac || bc) {
                if (i >= a.length()) {
                    return -1;
                }
                if (j >= b.length()) {
                    return 1;
                }
                if (!ac) {
                    return 1;
                }
                if (!bc) {
                    return -1;
                }
                i++;
                j++;
                continue;
            }
            if (i >= a.length() || j >= b.length()) {
                break;
            }
            boolean numeric = Character.isDigit(a.charAt(i));
            int si = i;
            int sj = j;
            if (numeric) {
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
            } else {
                while (i < a.length() && Character.isLetter(a.charAt(i)) && a.charAt(i) < 128) {
                    i++;
                }
                while (j < b.length() && Character.isLetter(b.charAt(j)) && b.charAt(j) < 128) {
                    j++;
                }
            }
            String x = a.substring(si, i);
            String y = b.substring(sj, j);
            if (y.isEmpty()) {
                // segments of different types: numeric is newer
                return numeric ? 1 : -1;
            }
            if (numeric) {
                x = x.replaceFirst("^0+(?=.)", "");
                y = y.replaceFirst("^0+(?=.)", "");
                if (x.length() != y.length()) {
                    return Integer.compare(x.length(), y.length());
                }
            }
            int c = x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        boolean aEnd = i >= a.length();
        boolean bEnd = j >= b.length();
        if (aEnd && bEnd) {
            return 0;
        }
        return aEnd ? -1 : 1;
    }
}
