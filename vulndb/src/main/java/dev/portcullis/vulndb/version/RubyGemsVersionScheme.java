package dev.portcullis.vulndb.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RubyGems' {@code Gem::Version} ordering: numeric and alphabetic segments, a letter segment marks a pre-release
 * (sorts before any number), trailing zero segments are insignificant, {@code -} means {@code .pre.}.
 */
final class RubyGemsVersionScheme implements VersionScheme {
    private static final Pattern VALID = Pattern.compile("[0-9]+(?:\\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
    private static final Pattern SEGMENT = Pattern.compile("[0-9]+|[a-zA-Z]+");

    @Override
    public String name() {
        return "rubygems";
    }

    @Override
    public void validate(String version) {
        segments(version);
    }

    @Override
    public int compare(String a, String b) {
        List<Object> x = segments(a);
        List<Object> y = segments(b);
        int n = Math.max(x.size(), y.size());
        for (int i = 0; i < n; i++) {
            Object s = i < x.size() ? x.get(i) : BigInteger.ZERO;
            Object t = i < y.size() ? y.get(i) : BigInteger.ZERO;
            int c;
            if (s instanceof BigInteger p && t instanceof BigInteger q) {
                c = p.compareTo(q);
            } else if (s instanceof String p && t instanceof String q) {
                c = p.compareTo(q);
            } else {
                c = s instanceof String ? -1 : 1;
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    /** Gem::Version#canonical_segments: split, then drop zeros that end the release part and the whole list. */
    private List<Object> segments(String v) {
        if (v == null || v.length() > 256 || !VALID.matcher(v.strip()).matches()) {
            throw new InvalidVersionException(name(), String.valueOf(v), "not a RubyGems version");
        }
        List<Object> all = new ArrayList<>();
        Matcher m = SEGMENT.matcher(v.strip().replace("-", ".pre."));
        while (m.find()) {
            String s = m.group();
            all.add(Character.isDigit(s.charAt(0)) ? new BigInteger(s) : s);
        }
        int firstString = 0;
        while (firstString < all.size() && !(all.get(firstString) instanceof String)) {
            firstString++;
        }
        List<Object> release = new ArrayList<>(all.subList(0, firstString));
        List<Object> pre = new ArrayList<>(all.subList(firstString, all.size()));
        trimZeros(release);
        trimZeros(pre);
        release.addAll(pre);
        return release;
    }

    private static void trimZeros(List<Object> segments) {
        while (!segments.isEmpty() && BigInteger.ZERO.equals(segments.getLast())) {
            segments.removeLast();
        }
    }
}
