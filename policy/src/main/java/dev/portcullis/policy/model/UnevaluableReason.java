package dev.portcullis.policy.model;

/** Why a package could not be judged against the vulnerability database; policies match on these, never on text. */
public enum UnevaluableReason {
    /** The package's ecosystem is not one the database covers. */
    UNKNOWN_ECOSYSTEM,
    /** The installed version does not parse under the ecosystem's version scheme. */
    UNPARSEABLE_VERSION,
    /** The ecosystem has advisories but no version scheme to compare them with. */
    NO_VERSION_SCHEME,
    /** No advisory data has been imported for the package's ecosystem. */
    NO_DATABASE,
    /** The package could not be identified (no name or no version). */
    UNIDENTIFIED_PACKAGE,
    /** An advisory's affected ranges could not be read. */
    UNREADABLE_ADVISORY
}
