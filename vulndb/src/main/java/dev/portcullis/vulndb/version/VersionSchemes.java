package dev.portcullis.vulndb.version;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one list of version schemes, keyed by OSV ecosystem name (the part before any {@code :release}).
 * An ecosystem that is not listed here cannot be evaluated, which the matcher reports rather than skips.
 */
public final class VersionSchemes {
    private final Map<String, VersionScheme> byEcosystem = new LinkedHashMap<>();
    private final VersionScheme semver = new SemverVersionScheme();
    private final VersionScheme go = new GoVersionScheme();

    public VersionSchemes() {
        VersionScheme dpkg = new DpkgVersionScheme();
        VersionScheme rpm = new RpmVersionScheme();
        byEcosystem.put("Debian", dpkg);
        byEcosystem.put("Ubuntu", dpkg);
        byEcosystem.put("Alpine", new ApkVersionScheme());
        for (String e : new String[] {"Red Hat", "Rocky Linux", "AlmaLinux", "openSUSE", "SUSE", "Mageia",
            "openEuler"}) {
            byEcosystem.put(e, rpm);
        }
        byEcosystem.put("Maven", new MavenVersionScheme());
        byEcosystem.put("PyPI", new Pep440VersionScheme());
        byEcosystem.put("npm", semver);
        byEcosystem.put("Go", go);
        byEcosystem.put("RubyGems", new RubyGemsVersionScheme());
        byEcosystem.put("NuGet", new NuGetVersionScheme());
        byEcosystem.put("crates.io", new CargoVersionScheme());
    }

    /** The scheme of an OSV ecosystem such as {@code Maven} or {@code Debian:12}, if it has one. */
    public Optional<VersionScheme> forEcosystem(String ecosystem) {
        return Optional.ofNullable(byEcosystem.get(base(ecosystem)));
    }

    /**
     * The scheme for an OSV range of {@code type}: {@code SEMVER} ranges are Semantic Versioning, except in Go,
     * whose toolchain versions need the Go scheme; {@code ECOSYSTEM} ranges use the ecosystem's own.
     */
    public Optional<VersionScheme> forRange(String type, String ecosystem) {
        if ("SEMVER".equals(type)) {
            return Optional.of("Go".equals(base(ecosystem)) ? go : semver);
        }
        if ("ECOSYSTEM".equals(type)) {
            return forEcosystem(ecosystem);
        }
        return Optional.empty();
    }

    /** A scheme by its {@link VersionScheme#name()}, for golden files and tools. */
    public Optional<VersionScheme> byName(String name) {
        return byEcosystem.values().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static String base(String ecosystem) {
        int colon = ecosystem.indexOf(':');
        return colon < 0 ? ecosystem : ecosystem.substring(0, colon);
    }
}
