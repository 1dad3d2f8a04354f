package dev.portcullis.scanner.lang;

import java.util.List;

/**
 * One package as a file lists it: a lockfile or manifest (declared) or a package manager's record of what it
 * installed.
 *
 * @param dev      true when only a development dependency
 * @param licenses licences the file states, if any
 */
public record Listed(String name, String version, boolean dev, List<String> licenses) {
    public Listed {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new PackageDataException("package without a name or version: " + name + "@" + version);
        }
        licenses = licenses == null ? List.of() : List.copyOf(licenses);
    }

    public Listed(String name, String version, boolean dev) {
        this(name, version, dev, List.of());
    }
}
