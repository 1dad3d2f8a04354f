package dev.portcullis.gate;

import dev.portcullis.oci.Digest;
import dev.portcullis.oci.RepositoryName;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One scan job: the outbox row a push to unscanned/ wrote, as the gate's workers see it.
 *
 * @param tag the tag pushed, empty for a push by digest
 * @param attempts how many times a worker took it
 * @param leaseOwner the node holding it while running, else empty
 * @param lastError why the last attempt failed, else empty
 */
public record Job(long id, RepositoryName repository, Digest digest, Optional<String> tag, State state, int attempts,
                  Optional<String> leaseOwner, Optional<Instant> leaseUntil, Optional<String> lastError,
                  Instant createdAt, Instant updatedAt) {

    /** Where a job stands. */
    public enum State {
        QUEUED, RUNNING, DONE, ERROR;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
