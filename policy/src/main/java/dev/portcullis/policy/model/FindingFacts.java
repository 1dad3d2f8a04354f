package dev.portcullis.policy.model;

import dev.portcullis.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One advisory that applies to one installed package.
 *
 * @param id the advisory id as the feed names it ({@code CVE-2021-44228}, {@code GHSA-jfh8-c2jp-5v3q})
 * @param aliases the advisory's other ids
 * @param cvssScore the base score, null when the advisory carries no CVSS
 * @param cvssVector the CVSS vector, null when none
 * @param fixAvailable whether a fixed version exists
 * @param fixedVersions the versions that fix it, empty when unfixed
 * @param published when the advisory was published, null when the feed does not say
 * @param layerDigest the layer that brought the package, null when not known
 * @param layerCreatedBy that layer's {@code created_by}, empty when unknown
 * @param feed the feed the advisory came from
 */
public record FindingFacts(String id, List<String> aliases, Severity severity, Double cvssScore, String cvssVector,
                           boolean fixAvailable, List<String> fixedVersions, Instant published, String packagePurl,
                           String packageName, String packageVersion, Digest layerDigest, String layerCreatedBy,
                           String feed) {
    public FindingFacts {
        ImageFacts.requireText(id, "id");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(severity, "severity");
        fixedVersions = List.copyOf(fixedVersions);
        if (fixAvailable && fixedVersions.isEmpty()) {
            throw new IllegalArgumentException("finding " + id + " has a fix but names no fixed version");
        }
        packagePurl = packagePurl == null ? "" : packagePurl;
        packageName = packageName == null ? "" : packageName;
        packageVersion = packageVersion == null ? "" : packageVersion;
        layerCreatedBy = layerCreatedBy == null ? "" : layerCreatedBy;
        feed = feed == null ? "" : feed;
    }

    /** Whether the finding is known by {@code advisory}, as its id or one of its aliases. */
    public boolean isKnownAs(String advisory) {
        return id.equals(advisory) || aliases.contains(advisory);
    }
}
