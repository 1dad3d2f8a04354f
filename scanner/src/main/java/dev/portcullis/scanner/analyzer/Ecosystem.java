package dev.portcullis.scanner.analyzer;

/**
 * Package ecosystems. {@code purlType} is the package-URL type; {@code osvName} is the ecosystem name used by
 * OSV (distro ecosystems add their release, e.g. {@code Debian:12}).
 */
public enum Ecosystem {
    DEB("deb", "Debian"),
    APK("apk", "Alpine"),
    RPM("rpm", "Red Hat"),
    MAVEN("maven", "Maven"),
    NPM("npm", "npm"),
    PYPI("pypi", "PyPI"),
    GO("golang", "Go"),
    RUBYGEMS("gem", "RubyGems"),
    CARGO("cargo", "crates.io"),
    COMPOSER("composer", "Packagist"),
    NUGET("nuget", "NuGet");

    private final String purlType;
    private final String osvName;

    Ecosystem(String purlType, String osvName) {
        this.purlType = purlType;
        this.osvName = osvName;
    }

    public String purlType() {
        return purlType;
    }

    public String osvName() {
        return osvName;
    }
}
