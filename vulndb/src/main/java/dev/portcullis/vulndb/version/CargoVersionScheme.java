package dev.portcullis.vulndb.version;

/** crates.io versions: strict Semantic Versioning 2.0, which Cargo enforces on publish. */
final class CargoVersionScheme implements VersionScheme {

    @Override
    public String name() {
        return "cargo";
    }

    @Override
    public void validate(String version) {
        SemVer.parseStrict(name(), version);
    }

    @Override
    public int compare(String a, String b) {
        return SemVer.parseStrict(name(), a).compareTo(SemVer.parseStrict(name(), b));
    }
}
