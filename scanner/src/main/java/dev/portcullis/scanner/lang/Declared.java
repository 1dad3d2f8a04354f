package dev.portcullis.scanner.lang;

/**
 * One dependency as a lockfile or manifest declares it (not proof that it is installed).
 *
 * @param dev true when only a development dependency
 */
public record Declared(String name, String version, boolean dev) {
    public Declared {
        if (name == null || name.isBlank() || version == null || version.isBlank()) {
            throw new PackageDataException("dependency without a name or version: " + name + "@" + version);
        }
    }
}
