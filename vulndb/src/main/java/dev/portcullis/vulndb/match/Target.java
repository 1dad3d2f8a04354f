package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.PackageNames;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an installed package is looked up: the OSV ecosystems that can describe it, the name advisories use for
 * it (Debian/Ubuntu source package, Alpine origin, Maven {@code groupId:artifactId}, PEP 503 PyPI names) and the
 * version to compare.
 */
record Target(List<String> ecosystems, String name, String version) {
    private static final Map<String, String> LANGUAGE = Map.of("maven", "Maven", "npm", "npm", "pypi", "PyPI",
            "golang", "Go", "gem", "RubyGems", "nuget", "NuGet", "cargo", "crates.io");
    private static final Map<String, String> RPM_DISTROS = Map.of("rocky", "Rocky Linux", "almalinux", "AlmaLinux");

    /** Why a package has no target: its ecosystem cannot be evaluated. */
    static final class NoTarget extends Exception {
        private static final long serialVersionUID = 1L;
        private final Finding.Unevaluable reason;

        NoTarget(Finding.Unevaluable reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Finding.Unevaluable reason() {
            return reason;
        }
    }

    static Target of(InstalledPackage p) throws NoTarget {
        String type = p.type().toLowerCase(Locale.ROOT);
        String language = LANGUAGE.get(type);
        if (language != null) {
            return new Target(List.of(language), PackageNames.normalise(language, p.name()), p.version());
        }
        if (!type.equals("deb") && !type.equals("apk") && !type.equals("rpm")) {
            throw new NoTarget(Finding.Unevaluable.UNKNOWN_ECOSYSTEM, "no vulnerability data or version scheme for package type '" + type + "'");
        }
        String name = p.sourceName().isEmpty() ? p.name() : p.sourceName();
        String version = p.sourceVersion().isEmpty() ? p.version() : p.sourceVersion();
        if (p.distro() == null) {
            throw new NoTarget(Finding.Unevaluable.UNKNOWN_DISTRIBUTION, type + " package without a known distribution release");
        }
        String distro = p.distro().id().toLowerCase(Locale.ROOT);
        String release = p.distro().release();
        if (type.equals("deb") && distro.equals("debian")) {
            return new Target(List.of("Debian:" + major(release)), name, version);
        }
        if (type.equals("deb") && distro.equals("ubuntu")) {
            return new Target(List.of("Ubuntu:" + release, "Ubuntu:" + release + ":LTS"), name, version);
        }
        String[] parts = release.split("\\.");
        if (type.equals("apk") && distro.equals("alpine") && parts.length >= 2) {
            return new Target(List.of("Alpine:v" + parts[0] + "." + parts[1]), name, version);
        }
        if (type.equals("rpm") && RPM_DISTROS.containsKey(distro)) {
            return new Target(List.of(RPM_DISTROS.get(distro) + ":" + major(release)), name, version);
        }
        throw new NoTarget(Finding.Unevaluable.UNKNOWN_DISTRIBUTION, "no vulnerability data for " + type + " packages of " + distro + " " + release);
    }

    private static String major(String release) {
        int dot = release.indexOf('.');
        return dot < 0 ? release : release.substring(0, dot);
    }
}
