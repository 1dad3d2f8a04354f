package dev.portcullis.vulndb.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go module versions ({@code v1.2.3}, {@code +incompatible}, pseudo-versions, which are ordinary pre-releases) and
 * Go toolchain versions as binaries record them ({@code go1.19.8}, {@code go1.21rc2}, {@code go1.20}), which the Go
 * vulnerability database writes as semantic versions without {@code v} ({@code 1.19.9}, {@code 1.21.0-rc.2}).
 */
final class GoVersionScheme implements VersionScheme {
    private static final Pattern TOOLCHAIN = Pattern.compile("go(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:(rc|beta)(\\d+))?");

    @Override
    public String name() {
        return "go";
    }

    @Override
    public void validate(String version) {
        parse(version);
    }

    @Override
    public int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    SemVer parse(String v) {
        if (v == null || v.isBlank() || v.length() > 256) {
            throw new InvalidVersionException(name(), String.valueOf(v), "empty or too long");
        }
        Matcher t = TOOLCHAIN.matcher(v);
        if (t.matches()) {
            String canonical = t.group(1) + "." + t.group(2) + "." + (t.group(3) == null ? "0" : t.group(3))
                    + (t.group(4) == null ? "" : "-" + t.group(4) + "." + t.group(5));
            return SemVer.parseStrict(name(), canonical);
        }
        return SemVer.parseStrict(name(), v.startsWith("v") ? v.substring(1) : v);
    }
}
