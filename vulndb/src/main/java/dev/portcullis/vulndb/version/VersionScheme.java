package dev.portcullis.vulndb.version;

/**
 * The ordering of versions in one packaging ecosystem. One implementation per scheme, registered in
 * {@link VersionSchemes}; each is tested with a golden comparison file in both directions.
 */
public interface VersionScheme {

    /** A short name, e.g. {@code dpkg}, used in reports and golden files. */
    String name();

    /**
     * Compares two versions of this scheme.
     *
     * @throws InvalidVersionException if either string is not a version of this scheme
     */
    int compare(String a, String b);

    /** Checks that {@code version} is a version of this scheme, throwing {@link InvalidVersionException} if not. */
    void validate(String version);
}
