package dev.portcullis.policy;

import dev.portcullis.oci.Digest;
import dev.portcullis.policy.model.FindingFacts;
import dev.portcullis.policy.model.ImageFacts;
import java.time.Instant;
import java.util.Objects;

/**
 * An accepted vulnerability: one advisory, for a scope, optionally narrowed to packages, until it expires or is
 * revoked. It covers a finding when {@link #covers} says so; a covered finding does not reject, and the verdict
 * lists the exception in {@link Verdict#exceptionsUsed()}.
 *
 * @param id the exception's id, named in verdicts
 * @param advisory matched against a finding's id and each of its aliases
 * @param purlPattern null for every package, else a pattern (see {@link Scope}) over the finding's package URL; a
 *     pattern without {@code @} also matches the package URL with its version and qualifiers removed, so
 *     {@code pkg:maven/org.apache.logging.log4j/log4j-core} covers every version of log4j-core
 * @param approver who granted it
 * @param ticket a link to the discussion or ticket
 * @param revokedAt when it was revoked, null while it stands
 */
public record ExceptionGrant(String id, String advisory, Scope scope, String purlPattern, String reason,
                             String approver, String ticket, Instant createdAt, Instant expiresAt,
                             Instant revokedAt) {
    public ExceptionGrant {
        requireText(id, "id");
        requireText(advisory, "advisory");
        Objects.requireNonNull(scope, "scope");
        if (purlPattern != null) {
            if (!purlPattern.startsWith("pkg:")) {
                throw new IllegalArgumentException("a package pattern is a package URL pattern starting with 'pkg:'");
            }
            Glob.of(purlPattern);
        }
        requireText(reason, "reason");
        requireText(approver, "approver");
        ticket = ticket == null ? "" : ticket;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt (an exception always expires)");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("an exception expires after it is created");
        }
    }

    /** Whether it applies at {@code now}: not yet expired and not revoked. */
    public boolean isActive(Instant now) {
        return now.isBefore(expiresAt) && (revokedAt == null || now.isBefore(revokedAt));
    }

    /** Whether it covers {@code finding} in {@code image} at {@code now}. */
    public boolean covers(FindingFacts finding, ImageFacts image, Instant now) {
        return isActive(now) && finding.isKnownAs(advisory) && scope.covers(image) && coversPackage(finding.packagePurl());
    }

    private boolean coversPackage(String purl) {
        if (purlPattern == null) {
            return true;
        }
        Glob glob = Glob.of(purlPattern);
        if (glob.matches(purl)) {
            return true;
        }
        if (purlPattern.contains("@")) {
            return false;
        }
        int cut = purl.length();
        for (char c : new char[] {'@', '?', '#'}) {
            int i = purl.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return glob.matches(purl.substring(0, cut));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an exception's " + name + " must not be empty");
        }
    }

    /** Which images an exception applies to. */
    public sealed interface Scope {
        /** Whether the scope includes {@code image}. */
        boolean covers(ImageFacts image);

        /** For messages: {@code organisation}, {@code team acme}, {@code repository acme/*}, {@code digest sha256:...}. */
        String describe();

        static Scope organisation() {
            return new Organisation();
        }

        static Scope team(String team) {
            return new Team(team);
        }

        static Scope repository(String pattern) {
            return new Repository(pattern);
        }

        static Scope digest(Digest digest) {
            return new Image(digest);
        }

        /** Every image. */
        record Organisation() implements Scope {
            @Override
            public boolean covers(ImageFacts image) {
                return true;
            }

            @Override
            public String describe() {
                return "organisation";
            }
        }

        /** The images of one team. */
        record Team(String team) implements Scope {
            public Team {
                requireText(team, "team");
            }

            @Override
            public boolean covers(ImageFacts image) {
                return image.team().equals(team);
            }

            @Override
            public String describe() {
                return "team " + team;
            }
        }

        /**
         * Repositories matching a pattern over {@link ImageFacts#repository()} ({@code acme/web}, {@code acme/*}):
         * {@code *} matches within one path segment, {@code **} across segments.
         */
        record Repository(String pattern) implements Scope {
            public Repository {
                requireText(pattern, "repository pattern");
            }

            @Override
            public boolean covers(ImageFacts image) {
                return Glob.of(pattern).matches(image.repository());
            }

            @Override
            public String describe() {
                return "repository " + pattern;
            }
        }

        /** One image digest, in whatever repository. */
        record Image(Digest digest) implements Scope {
            public Image {
                Objects.requireNonNull(digest, "digest");
            }

            @Override
            public boolean covers(ImageFacts image) {
                return image.digest().equals(digest);
            }

            @Override
            public String describe() {
                return "digest " + digest;
            }
        }
    }
}
