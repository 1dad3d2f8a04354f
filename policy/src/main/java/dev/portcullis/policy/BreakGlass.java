package dev.portcullis.policy;

import dev.portcullis.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * The security role letting one image digest through for a bounded time, whatever its findings. While active the
 * verdict promotes and says so ({@link Verdict#breakGlass()}), still listing every rejection it overrode.
 *
 * @param until the end of the override; after it the image is judged normally again
 */
public record BreakGlass(Digest digest, String reason, String ticket, String grantedBy, Instant grantedAt,
                         Instant until) {
    public BreakGlass {
        Objects.requireNonNull(digest, "digest");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("break-glass needs a reason");
        }
        ticket = ticket == null ? "" : ticket;
        if (grantedBy == null || grantedBy.isBlank()) {
            throw new IllegalArgumentException("break-glass names who granted it");
        }
        Objects.requireNonNull(grantedAt, "grantedAt");
        Objects.requireNonNull(until, "until");
        if (!until.isAfter(grantedAt)) {
            throw new IllegalArgumentException("break-glass ends after it is granted");
        }
    }

    /** Whether it lets {@code digest} through at {@code now}: from {@code grantedAt} (inclusive) to {@code until}. */
    public boolean isActiveFor(Digest digest, Instant now) {
        return this.digest.equals(digest) && !now.isBefore(grantedAt) && now.isBefore(until);
    }
}
