package dev.portcullis.vulndb.version;

import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Maven's ordering, exactly as Maven resolves it: {@link ComparableVersion} of maven-artifact. Unknown qualifiers
 * sort after the release ({@code 29.0-jre > 29.0}), which is why a {@code last_affected: 29.0} range does not cover
 * guava {@code 29.0-jre}.
 */
final class MavenVersionScheme implements VersionScheme {

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public void validate(String version) {
        if (version == null || version.isBlank() || version.length() > 256
                || version.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidVersionException(name(), String.valueOf(version), "empty, too long or has whitespace");
        }
    }

    @Override
    public int compare(String a, String b) {
        validate(a);
        validate(b);
        return Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b)));
    }
}
