package dev.portcullis.vulndb.match;

import java.util.Objects;

/**
 * An installed package as the matcher needs it; the scanner's inventory is adapted to this by the caller, so the
 * two libraries stay independent.
 *
 * @param type the package URL type: {@code maven}, {@code npm}, {@code pypi}, {@code golang}, {@code deb},
 *     {@code apk}, {@code rpm}, {@code gem}, {@code nuget}, {@code cargo}
 * @param name as the ecosystem spells it: {@code group:artifact} for Maven, {@code @scope/name} for npm, the module
 *     path for Go ({@code stdlib} for the toolchain), the binary package for distros
 * @param version as installed ({@code go1.19.8} or {@code 1.19.8} for the Go standard library)
 * @param purl the package URL, used for VEX and reports; may be empty
 * @param sourceName Debian/Ubuntu source package or Alpine origin, empty when the same as {@code name}
 * @param sourceVersion the source package version when it differs from {@code version} (Debian binNMUs), or empty
 * @param distro the distribution the package was installed from, or null outside distro package managers
 * @param layer digest of the layer the package was found in, may be empty
 * @param path where the evidence lives in the image
 */
public record InstalledPackage(String type, String name, String version, String purl, String sourceName,
                               String sourceVersion, Distro distro, String layer, String path) {
    public InstalledPackage {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        purl = purl == null ? "" : purl;
        sourceName = sourceName == null ? "" : sourceName;
        sourceVersion = sourceVersion == null ? "" : sourceVersion;
        layer = layer == null ? "" : layer;
        path = path == null ? "" : path;
    }

    /** A distribution and release as the image's os-release says: {@code debian 12}, {@code alpine 3.10.3}. */
    public record Distro(String id, String release) {
        public Distro {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(release, "release");
        }
    }
}
