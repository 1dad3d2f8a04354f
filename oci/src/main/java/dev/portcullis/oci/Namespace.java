package dev.portcullis.oci;

import java.util.Optional;

/**
 * Where a repository lives: {@code unscanned/<team>/...} (quarantine, written by the team), {@code scanned/<team>/...}
 * (written only by the gate) or anywhere else (owned by no team). The one definition of both prefixes: the registry,
 * the access policy and the gate all ask this class.
 *
 * @param kind the namespace kind
 * @param team the owning team, for unscanned and scanned repositories
 */
public record Namespace(Kind kind, Optional<String> team) {
    public static final String SCANNED = "scanned";
    public static final String UNSCANNED = "unscanned";

    /** The namespace kinds. */
    public enum Kind { UNSCANNED, SCANNED, OTHER }

    public static Namespace of(String repository) {
        String[] parts = repository.split("/", 3);
        if (parts.length == 3) {
            if (parts[0].equals(UNSCANNED)) {
                return new Namespace(Kind.UNSCANNED, Optional.of(parts[1]));
            }
            if (parts[0].equals(SCANNED)) {
                return new Namespace(Kind.SCANNED, Optional.of(parts[1]));
            }
        }
        return new Namespace(Kind.OTHER, Optional.empty());
    }

    public static Namespace of(RepositoryName repository) {
        return of(repository.value());
    }

    /** Whether {@code repository} is written only by the gate (it lies under scanned/). */
    public static boolean isGateOnly(RepositoryName repository) {
        return repository.value().startsWith(SCANNED + "/");
    }

    /**
     * Why a write to {@code repository} is refused when it lives under scanned/, with where to push instead; empty
     * for any other repository.
     */
    public static Optional<String> gateOnly(String repository) {
        String prefix = SCANNED + "/";
        if (!repository.startsWith(prefix)) {
            return Optional.empty();
        }
        return Optional.of("repositories under " + prefix + " are written only by the quarantine gate; push to "
                + UNSCANNED + "/" + repository.substring(prefix.length()) + " instead");
    }

    /** The repository {@code unscanned/<team>/<rest>} is promoted to: {@code scanned/<team>/<rest>}. */
    public static RepositoryName scannedOf(RepositoryName unscanned) {
        if (of(unscanned).kind() != Kind.UNSCANNED) {
            throw new IllegalArgumentException(unscanned + " is not an unscanned/<team>/<name> repository");
        }
        return RepositoryName.of(SCANNED + unscanned.value().substring(UNSCANNED.length()));
    }

    /** The quarantine repository {@code scanned/<team>/<rest>} is promoted from. */
    public static RepositoryName unscannedOf(RepositoryName scanned) {
        if (of(scanned).kind() != Kind.SCANNED) {
            throw new IllegalArgumentException(scanned + " is not a scanned/<team>/<name> repository");
        }
        return RepositoryName.of(UNSCANNED + scanned.value().substring(SCANNED.length()));
    }
}
