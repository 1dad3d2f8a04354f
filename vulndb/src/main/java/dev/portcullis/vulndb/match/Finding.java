package dev.portcullis.vulndb.match;

import dev.portcullis.vulndb.model.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One advisory that applies to one installed package, or an explicit statement that it could not be evaluated.
 *
 * @param kind {@link Kind#VULNERABLE}, or {@link Kind#UNEVALUABLE} when the version or ecosystem cannot be
 *     evaluated (the gate fails closed on these)
 * @param advisoryId the advisory (for unevaluable findings without a candidate advisory: empty)
 * @param fixedVersions versions that fix it, empty when there is no fix (Debian "unfixed")
 * @param published when the advisory was published, null when its feed gives no date (Debian tracker, Alpine
 *     secdb) or an unreadable one: unknown, for the policy to decide on
 * @param epss EPSS probability, null until an EPSS feed exists
 * @param kev whether CISA lists it as known exploited, null until a KEV feed exists
 * @param note why a finding is unevaluable, or the distro's qualifier ({@code no-dsa}, {@code ignored}), or empty
 * @param vex the applicable VEX statement, or null
 * @param unevaluable why an {@link Kind#UNEVALUABLE} finding could not be decided (null for vulnerable ones): what a
 *     policy matches on, never the {@code note}
 */
public record Finding(Kind kind, String advisoryId, List<String> aliases, InstalledPackage pkg,
                      List<String> fixedVersions, Severity severity, Instant published, Double epss, Boolean kev, String feed,
                      String note, VexAssessment vex, Unevaluable unevaluable) {
    public Finding {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.UNEVALUABLE) != (unevaluable != null)) {
            throw new IllegalArgumentException("exactly the unevaluable findings say why they are unevaluable");
        }
        advisoryId = advisoryId == null ? "" : advisoryId;
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(pkg, "pkg");
        fixedVersions = List.copyOf(fixedVersions);
        Objects.requireNonNull(severity, "severity");
        feed = feed == null ? "" : feed;
        note = note == null ? "" : note;
    }

    /** Whether the finding names {@code id} as its advisory or an alias. */
    public boolean isKnownAs(String id) {
        return advisoryId.equals(id) || aliases.contains(id);
    }

    public Finding withVex(VexAssessment assessment) {
        return new Finding(kind, advisoryId, aliases, pkg, fixedVersions, severity, published, epss, kev, feed, note,
                assessment, unevaluable);
    }

    /** What a finding is. */
    public enum Kind { VULNERABLE, UNEVALUABLE }

    /** Why a package could not be evaluated. */
    public enum Unevaluable {
        /** No advisory data or version scheme exists for the package's type. */
        UNKNOWN_ECOSYSTEM,
        /** A distribution package whose distribution or release is unknown or not covered by any feed. */
        UNKNOWN_DISTRIBUTION,
        /** The ecosystem is known, but no advisory data was imported for it. */
        NO_ADVISORY_DATA,
        /** Advisories exist, but no version scheme compares versions of their ecosystem. */
        NO_VERSION_SCHEME,
        /** The installed version does not parse under the ecosystem's version scheme. */
        UNPARSEABLE_VERSION,
        /** An advisory's affected ranges cannot be evaluated. */
        UNREADABLE_RANGE
    }
}
