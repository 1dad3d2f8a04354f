package dev.portcullis.policy.model;

import java.time.LocalDate;

/**
 * The image's operating system as detected from its files.
 *
 * @param name the distribution id ({@code alpine}, {@code debian}), empty when none was detected
 * @param version its version, empty when unknown
 * @param endOfLife whether the release is past its end of life
 * @param endOfLifeDate the end-of-life date when known, else null
 */
public record OsFacts(String name, String version, boolean endOfLife, LocalDate endOfLifeDate) {
    public OsFacts {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
    }

    /** No operating system detected (scratch or distroless images). */
    public static OsFacts unknown() {
        return new OsFacts("", "", false, null);
    }
}
