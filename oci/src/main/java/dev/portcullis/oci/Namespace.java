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

    /**
     * Why a client may not write (push to or delete from) {@code repository}, with where to push instead; empty for
     * {@code unscanned/<team>/...}, the only names clients write. scanned/ is written only by the gate; any other name
     * belongs to no team, so no role could ever be granted a write there. The one rule for every mode: the server's
     * guards, development mode included, and the registry itself refuse with this text.
     */
    public static Optional<String> writeRefusal(String repository) {
        Namespace ns = of(repository);
        return switch (ns.kind()) {
            case UNSCANNED -> Optional.empty();
            case SCANNED -> Optional.of("repositories under " + SCANNED + "/ are written only by the quarantine gate; "
                    + "push to " + UNSCANNED + "/" + repository.substring(SCANNED.length() + 1) + " instead");
            case OTHER -> Optional.of(repository + " is in no team's quarantine: clients push only to " + UNSCANNED
                    + "/<team>/<name>, which the gate promotes to " + SCANNED + "/<team>/<name>");
        };
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
