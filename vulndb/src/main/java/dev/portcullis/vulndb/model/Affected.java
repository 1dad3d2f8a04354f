package dev.portcullis.vulndb.model;

import java.util.List;
import java.util.Objects;

/**
 * The versions of one package that an advisory affects.
 *
 * @param ecosystem OSV ecosystem, with the distro release where there is one ({@code Debian:12})
 * @param name the package name as the matcher looks it up (see {@link PackageNames#normalise})
 * @param ranges OSV ranges; an empty list with empty {@code versions} affects nothing
 * @param versions versions listed explicitly as affected
 * @param note the distro's own status when it qualifies the match ({@code no-dsa}, {@code ignored}...), or empty
 */
public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions, String note) {
    public Affected {
        Objects.requireNonNull(ecosystem, "ecosystem");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("affected package has no name");
        }
        ranges = List.copyOf(ranges);
        versions = List.copyOf(versions);
        note = note == null ? "" : note;
    }
}
