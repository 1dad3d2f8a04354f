package dev.portcullis.vulndb.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One advisory of one feed, in OSV's shape whatever its source format: Debian tracker and Alpine secdb entries
 * become advisories whose {@code affected} ranges use the distro's ecosystem ({@code Debian:12},
 * {@code Alpine:v3.10}).
 *
 * @param feed the feed it belongs to, e.g. {@code osv:GHSA} or {@code alpine-secdb:v3.10/main}
 * @param sourceFile where it was read from (path inside the imported tree or archive), for reports
 */
public record Advisory(String feed, String id, List<String> aliases, String summary, Severity severity,
                       Instant published, Instant modified, String sourceFile, List<Affected> affected) {
    public Advisory {
        Objects.requireNonNull(feed, "feed");
        if (id == null || id.isBlank() || id.length() > 256) {
            throw new IllegalArgumentException("advisory id must be 1..256 characters");
        }
        aliases = List.copyOf(aliases);
        summary = summary == null ? "" : summary;
        Objects.requireNonNull(severity, "severity");
        sourceFile = sourceFile == null ? "" : sourceFile;
        affected = List.copyOf(affected);
    }
}
