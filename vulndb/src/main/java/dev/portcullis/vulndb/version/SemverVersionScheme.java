package dev.portcullis.vulndb.version;

/**
 * Semantic Versioning 2.0 as npm applies it. Versions are parsed loosely (a leading {@code v}, missing minor or patch
 * read as 0) because advisory data uses bounds like {@code introduced: "1.0"} (GHSA-r683-j2x4-v87g).
 */
final class SemverVersionScheme implements VersionScheme {

    @Override
    public String name() {
        return "semver";
    }

    @Override
    public void validate(String version) {
        SemVer.parseLoose(name(), version);
    }

    @Override
    public int compare(String a, String b) {
        return SemVer.parseLoose(name(), a).compareTo(SemVer.parseLoose(name(), b));
    }
}
